package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Messages of one queue that have just become durable, in sequence order. */
public record PublishedBatch(String queueId, List<StoredMessage> messages) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("queueId", queueId).put("messages", JsonLists.toArray(messages));
  }

  public static PublishedBatch fromJson(JsonObject json) {
    return new PublishedBatch(json.getString("queueId"),
        JsonLists.fromArray(json.getJsonArray("messages"), StoredMessage::fromJson));
  }
}
