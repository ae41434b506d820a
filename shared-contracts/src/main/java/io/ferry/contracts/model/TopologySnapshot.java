package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Every queue and subscription admin-service knows: what messaging-service reconciles against. */
public record TopologySnapshot(List<QueueInfo> queues, List<SubscriptionSpec> subscriptions)
    implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("queues", JsonLists.toArray(queues))
        .put("subscriptions", JsonLists.toArray(subscriptions));
  }

  public static TopologySnapshot fromJson(JsonObject json) {
    return new TopologySnapshot(JsonLists.fromArray(json.getJsonArray("queues"), QueueInfo::fromJson),
        JsonLists.fromArray(json.getJsonArray("subscriptions"), SubscriptionSpec::fromJson));
  }
}
