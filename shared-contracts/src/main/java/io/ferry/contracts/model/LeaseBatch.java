package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The messages leased by one request and the queue's metrics after leasing them. */
public record LeaseBatch(List<LeasedMessage> messages, QueueMetrics metrics) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("messages", JsonLists.toArray(messages)).put("metrics", metrics.toJson());
  }

  public static LeaseBatch fromJson(JsonObject json) {
    return new LeaseBatch(JsonLists.fromArray(json.getJsonArray("messages"), LeasedMessage::fromJson),
        QueueMetrics.fromJson(json.getJsonObject("metrics")));
  }
}
