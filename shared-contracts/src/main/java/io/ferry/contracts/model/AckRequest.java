package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Acknowledge and retry leased messages of a subscription, by lease id. */
public record AckRequest(String queueId, String subscriptionId, List<String> acks, List<RetryRequest> retries)
    implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("queueId", queueId)
        .put("subscriptionId", subscriptionId)
        .put("acks", new JsonArray(List.copyOf(acks)))
        .put("retries", JsonLists.toArray(retries));
  }

  public static AckRequest fromJson(JsonObject json) {
    return new AckRequest(json.getString("queueId"), json.getString("subscriptionId"),
        JsonLists.plain(json.getJsonArray("acks")),
        JsonLists.fromArray(json.getJsonArray("retries"), RetryRequest::fromJson));
  }
}
