package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Appends JSON messages to a queue on behalf of a service (event subscriptions deliver Ferry's events this
 * way). Each body is one JSON value, stored with content type {@code json}; the reply is an {@code Ack} once
 * the messages are durable. The queue's schema is not applied: these are Ferry's own messages.
 */
public record PublishRequest(String queueId, List<Object> jsonBodies) implements BusPayload {

  public PublishRequest {
    jsonBodies = List.copyOf(jsonBodies);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("queueId", queueId).put("jsonBodies", new JsonArray(jsonBodies));
  }

  public static PublishRequest fromJson(JsonObject json) {
    return new PublishRequest(json.getString("queueId"), json.getJsonArray("jsonBodies").getList());
  }
}
