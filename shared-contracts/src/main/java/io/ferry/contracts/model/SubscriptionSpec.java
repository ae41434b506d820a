package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * A subscription of a queue as messaging-service needs to know it: an http_pull consumer or a webhook
 * listener, with its delivery settings. {@code batchSize} is what a lease request that names none gets;
 * {@code deadLetterQueueId} is {@code null} when there is none.
 */
public record SubscriptionSpec(String id, String queueId, Kind kind, int batchSize, int maxRetries,
    int retryDelaySeconds, int visibilityTimeoutMs, String deadLetterQueueId) implements BusPayload {

  /**
   * {@code maxRetries} of a subscription that messaging never exhausts by itself: the listener dispatcher
   * decides when a delivery is given up (and sends it as a miss).
   */
  public static final int UNLIMITED_RETRIES = Integer.MAX_VALUE;

  /** Which kind of consumer owns the subscription. */
  public enum Kind { PULL_CONSUMER, LISTENER }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("queueId", queueId)
        .put("kind", kind.name())
        .put("batchSize", batchSize)
        .put("maxRetries", maxRetries)
        .put("retryDelaySeconds", retryDelaySeconds)
        .put("visibilityTimeoutMs", visibilityTimeoutMs)
        .put("deadLetterQueueId", deadLetterQueueId);
  }

  public static SubscriptionSpec fromJson(JsonObject json) {
    return new SubscriptionSpec(json.getString("id"), json.getString("queueId"),
        Kind.valueOf(json.getString("kind")), json.getInteger("batchSize"), json.getInteger("maxRetries"),
        json.getInteger("retryDelaySeconds"), json.getInteger("visibilityTimeoutMs"),
        json.getString("deadLetterQueueId"));
  }
}
