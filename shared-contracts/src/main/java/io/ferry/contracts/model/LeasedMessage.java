package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** A message handed out under a lease; {@code attempts} counts this delivery. */
public record LeasedMessage(StoredMessage message, String leaseId, int attempts) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("message", message.toJson()).put("leaseId", leaseId).put("attempts", attempts);
  }

  public static LeasedMessage fromJson(JsonObject json) {
    return new LeasedMessage(StoredMessage.fromJson(json.getJsonObject("message")), json.getString("leaseId"),
        json.getInteger("attempts"));
  }
}
