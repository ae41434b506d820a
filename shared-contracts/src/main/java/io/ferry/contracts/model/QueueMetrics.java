package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** Backlog figures of a queue; {@code oldestTimestampMs} is 0 when the backlog is empty. */
public record QueueMetrics(long backlogCount, long backlogBytes, long oldestTimestampMs) implements BusPayload {

  public static final QueueMetrics EMPTY = new QueueMetrics(0, 0, 0);

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("backlogCount", backlogCount)
        .put("backlogBytes", backlogBytes)
        .put("oldestTimestampMs", oldestTimestampMs);
  }

  public static QueueMetrics fromJson(JsonObject json) {
    return new QueueMetrics(json.getLong("backlogCount"), json.getLong("backlogBytes"),
        json.getLong("oldestTimestampMs"));
  }
}
