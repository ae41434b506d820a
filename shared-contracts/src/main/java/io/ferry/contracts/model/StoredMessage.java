package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * A durable message of a queue. {@code key} is the Sonya id / discue name ({@code null} when the producer
 * gave none); {@code body} is the bytes exactly as produced, interpreted through {@code contentType}.
 */
public record StoredMessage(String id, String queueId, long sequence, String key, ContentType contentType,
    byte[] body, long timestampMs, long availableAtMs) implements BusPayload {

  /** The key a live subscriber sees as the frame {@code id}: the producer's key, else the message id. */
  public String frameId() {
    return key != null ? key : id;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("queueId", queueId)
        .put("sequence", sequence)
        .put("key", key)
        .put("contentType", contentType.wireName())
        .put("body", body)
        .put("timestampMs", timestampMs)
        .put("availableAtMs", availableAtMs);
  }

  public static StoredMessage fromJson(JsonObject json) {
    return new StoredMessage(json.getString("id"), json.getString("queueId"), json.getLong("sequence"),
        json.getString("key"), ContentType.fromWire(json.getString("contentType")), json.getBinary("body"),
        json.getLong("timestampMs"), json.getLong("availableAtMs"));
  }
}
