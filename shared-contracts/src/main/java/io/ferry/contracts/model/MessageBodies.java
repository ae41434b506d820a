package io.ferry.contracts.model;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a stored body appears as a JSON value to live subscribers and webhook receivers: a {@code json} body
 * as the JSON value itself, {@code text} as a JSON string, {@code bytes} / {@code v8} as base64.
 */
public final class MessageBodies {

  private MessageBodies() {
  }

  /** The body as a JSON-encodable value (a JsonObject, JsonArray, String, Number, Boolean or null). */
  public static Object asJsonValue(StoredMessage message) {
    return switch (message.contentType()) {
      case JSON -> Json.decodeValue(Buffer.buffer(message.body()));
      case TEXT -> new String(message.body(), StandardCharsets.UTF_8);
      case BYTES, V8 -> Base64.getEncoder().encodeToString(message.body());
    };
  }
}
