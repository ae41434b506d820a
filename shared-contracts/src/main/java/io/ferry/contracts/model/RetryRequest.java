package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** Retry a leased message after {@code delaySeconds}, or the subscription's retry delay when {@code null}. */
public record RetryRequest(String leaseId, Integer delaySeconds) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("leaseId", leaseId).put("delaySeconds", delaySeconds);
  }

  public static RetryRequest fromJson(JsonObject json) {
    return new RetryRequest(json.getString("leaseId"), json.getInteger("delaySeconds"));
  }
}
