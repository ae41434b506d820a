package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** The messages of a queue whose frame id ({@link StoredMessage#frameId()}) is {@code key}. */
public record KeyRef(String queueId, String key) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("queueId", queueId).put("key", key);
  }

  public static KeyRef fromJson(JsonObject json) {
    return new KeyRef(json.getString("queueId"), json.getString("key"));
  }
}
