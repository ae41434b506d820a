package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** A queue as admin-service owns it. */
public record QueueInfo(String id, String accountId, String name, long createdAtMs, long modifiedAtMs,
    QueueSettings settings) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("name", name)
        .put("createdAtMs", createdAtMs)
        .put("modifiedAtMs", modifiedAtMs)
        .put("settings", settings.toJson());
  }

  public static QueueInfo fromJson(JsonObject json) {
    return new QueueInfo(json.getString("id"), json.getString("accountId"), json.getString("name"),
        json.getLong("createdAtMs"), json.getLong("modifiedAtMs"),
        QueueSettings.fromJson(json.getJsonObject("settings")));
  }
}
