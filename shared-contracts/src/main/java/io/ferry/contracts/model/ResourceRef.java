package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** Names one resource by id, optionally within an account ({@code null} for internal callers). */
public record ResourceRef(String accountId, String id) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("accountId", accountId).put("id", id);
  }

  public static ResourceRef fromJson(JsonObject json) {
    return new ResourceRef(json.getString("accountId"), json.getString("id"));
  }
}
