package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * An admin or delivery event (docs/webhooks.md), e.g. {@code queue.created}: the type, the account, the
 * resource it is about, and a type-specific payload.
 */
public record FerryEvent(String id, String type, String accountId, String resourceId, long timestampMs,
    JsonObject payload) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("type", type)
        .put("accountId", accountId)
        .put("resourceId", resourceId)
        .put("timestampMs", timestampMs)
        .put("payload", payload);
  }

  public static FerryEvent fromJson(JsonObject json) {
    return new FerryEvent(json.getString("id"), json.getString("type"), json.getString("accountId"),
        json.getString("resourceId"), json.getLong("timestampMs"), json.getJsonObject("payload"));
  }
}
