package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * Read retained messages of a queue with sequence ≥ {@code fromSequence}, in order, at most {@code limit};
 * when {@code key} is not {@code null}, only those whose {@link StoredMessage#frameId()} equals it (the
 * same rule as the live per-id route, so messages without a key are found by their id).
 */
public record HistoryRequest(String queueId, long fromSequence, String key, int limit) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("queueId", queueId)
        .put("fromSequence", fromSequence)
        .put("key", key)
        .put("limit", limit);
  }

  public static HistoryRequest fromJson(JsonObject json) {
    return new HistoryRequest(json.getString("queueId"), json.getLong("fromSequence"), json.getString("key"),
        json.getInteger("limit"));
  }
}
