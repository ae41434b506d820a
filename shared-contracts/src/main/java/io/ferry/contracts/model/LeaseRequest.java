package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * Lease up to {@code batchSize} available messages of a subscription for {@code visibilityTimeoutMs};
 * when none is available, wait up to {@code waitMs} for one.
 */
public record LeaseRequest(String queueId, String subscriptionId, int batchSize, int visibilityTimeoutMs,
    int waitMs) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("queueId", queueId)
        .put("subscriptionId", subscriptionId)
        .put("batchSize", batchSize)
        .put("visibilityTimeoutMs", visibilityTimeoutMs)
        .put("waitMs", waitMs);
  }

  public static LeaseRequest fromJson(JsonObject json) {
    return new LeaseRequest(json.getString("queueId"), json.getString("subscriptionId"),
        json.getInteger("batchSize"), json.getInteger("visibilityTimeoutMs"), json.getInteger("waitMs"));
  }
}
