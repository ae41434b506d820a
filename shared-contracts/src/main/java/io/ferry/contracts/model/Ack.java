package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** The empty success reply of a command. */
public record Ack() implements BusPayload {

  public static final Ack INSTANCE = new Ack();

  @Override
  public JsonObject toJson() {
    return new JsonObject();
  }

  public static Ack fromJson(JsonObject json) {
    return INSTANCE;
  }
}
