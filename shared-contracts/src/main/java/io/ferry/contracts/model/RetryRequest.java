package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * Retry a leased message after a delay: {@code delayMs} when set (services that need sub-second schedules,
 * e.g. the webhook dispatcher), else {@code delaySeconds} (the Cloudflare wire field), else the
 * subscription's retry delay.
 */
public record RetryRequest(String leaseId, Integer delaySeconds, Long delayMs) implements BusPayload {

  /** A retry after {@code delaySeconds}, or the subscription's retry delay when {@code null}. */
  public RetryRequest(String leaseId, Integer delaySeconds) {
    this(leaseId, delaySeconds, null);
  }

  /** The delay this retry asks for in ms, or {@code null} for the subscription's retry delay. */
  public Long requestedDelayMs() {
    if (delayMs != null) {
      return delayMs;
    }
    return delaySeconds == null ? null : delaySeconds * 1000L;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("leaseId", leaseId).put("delaySeconds", delaySeconds).put("delayMs", delayMs);
  }

  public static RetryRequest fromJson(JsonObject json) {
    return new RetryRequest(json.getString("leaseId"), json.getInteger("delaySeconds"), json.getLong("delayMs"));
  }
}
