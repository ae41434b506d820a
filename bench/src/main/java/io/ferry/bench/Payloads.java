package io.ferry.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;

/** Request bodies. Every message is a JSON object of exactly 100 bytes; the push bodies are built once. */
final class Payloads {

  static final int MESSAGE_BYTES = 100;

  private Payloads() {
  }

  /** A JSON object whose encoding is exactly {@link #MESSAGE_BYTES} bytes. */
  static String message() {
    String prefix = "{\"bench\":\"ferry\",\"pad\":\"";
    String suffix = "\"}";
    return prefix + "x".repeat(MESSAGE_BYTES - prefix.length() - suffix.length()) + suffix;
  }

  /** {@code POST .../messages}: one message. */
  static Buffer single() {
    return Buffer.buffer("{\"body\":" + message() + "}");
  }

  /** {@code POST .../messages/batch}: {@code count} messages. */
  static Buffer batch(int count) {
    StringBuilder body = new StringBuilder("{\"messages\":[");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ",").append("{\"body\":").append(message()).append('}');
    }
    return Buffer.buffer(body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code POST .../messages/ack}: every lease of a pull result's {@code messages}. */
  static Buffer acks(JsonArray messages) {
    StringBuilder body = new StringBuilder(64 * messages.size()).append("{\"acks\":[");
    for (int i = 0; i < messages.size(); i++) {
      body.append(i == 0 ? "" : ",").append("{\"lease_id\":\"")
          .append(messages.getJsonObject(i).getString("lease_id")).append("\"}");
    }
    return Buffer.buffer(body.append("]}").toString());
  }
}
