package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** How many missed messages were made available again (durably, before this reply). */
public record RedeliverResult(int redelivered) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("redelivered", redelivered);
  }

  public static RedeliverResult fromJson(JsonObject json) {
    return new RedeliverResult(json.getInteger("redelivered"));
  }
}
