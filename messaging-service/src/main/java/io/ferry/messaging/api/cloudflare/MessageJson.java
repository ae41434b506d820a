package io.ferry.messaging.api.cloudflare;

import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.core.PeekedMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The {@code result} of Cloudflare-dialect message and metrics answers, which go out in the success envelope
 * (push, pull and ack answers are written as bytes by {@link ResultBytes}).
 */
final class MessageJson {

  private MessageJson() {
  }

  static JsonObject acked(AckResult result) {
    return new JsonObject()
        .put("ackCount", result.ackCount())
        .put("retryCount", result.retryCount())
        .put("warnings", new JsonObject(new LinkedHashMap<>(result.warnings())));
  }

  static JsonObject peeked(List<PeekedMessage> peeked) {
    JsonArray messages = new JsonArray();
    for (PeekedMessage entry : peeked) {
      StoredMessage message = entry.message();
      messages.add(new JsonObject()
          .put("id", message.id())
          .put("body", body(message))
          .put("timestamp_ms", message.timestampMs())
          .put("attempts", entry.attempts())
          .put("metadata", new JsonObject().put("CF-Content-Type", message.contentType().wireName()))
          .put("ref", message.id()));
    }
    return new JsonObject().put("messages", messages);
  }

  // The SDK reads warnings as a map of ref to message.
  static JsonObject purged(List<String> unknownRefs) {
    JsonObject warnings = new JsonObject();
    unknownRefs.forEach(ref -> warnings.put(ref, "ref " + ref + " names no message of this queue (unknown or "
        + "already deleted)"));
    return new JsonObject().put("errors", new JsonArray()).put("warnings", warnings);
  }

  static JsonObject metrics(QueueMetrics metrics) {
    return new JsonObject()
        .put("backlog_count", metrics.backlogCount())
        .put("backlog_bytes", metrics.backlogBytes())
        .put("oldest_message_timestamp_ms", metrics.oldestTimestampMs());
  }

  // As Cloudflare does: only text comes back as it is; json and binary bodies travel base64-encoded.
  private static String body(StoredMessage message) {
    return switch (message.contentType()) {
      case TEXT -> new String(message.body(), StandardCharsets.UTF_8);
      case JSON, BYTES, V8 -> Base64.getEncoder().encodeToString(message.body());
    };
  }
}
