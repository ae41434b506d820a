package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** The result of a {@link ShardCall} as messaging writes it (empty for an operation without one). */
public record ShardReply(JsonObject result) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("result", result);
  }

  public static ShardReply fromJson(JsonObject json) {
    return new ShardReply(json.getJsonObject("result"));
  }
}
