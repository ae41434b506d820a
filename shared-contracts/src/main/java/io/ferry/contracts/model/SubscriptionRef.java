package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** Names one subscription of a queue (a consumer's or a listener's, by its id). */
public record SubscriptionRef(String queueId, String subscriptionId) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("queueId", queueId).put("subscriptionId", subscriptionId);
  }

  public static SubscriptionRef fromJson(JsonObject json) {
    return new SubscriptionRef(json.getString("queueId"), json.getString("subscriptionId"));
  }
}
