package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * A queue as admin-service owns it. {@code schema} is the discue message schema every pushed message must
 * match (the DSL of docs/compatibility.md, discue, as sent by the client), or {@code null}.
 */
public record QueueInfo(String id, String accountId, String name, long createdAtMs, long modifiedAtMs,
    QueueSettings settings, JsonObject schema) implements BusPayload {

  /** A queue without a message schema. */
  public QueueInfo(String id, String accountId, String name, long createdAtMs, long modifiedAtMs,
      QueueSettings settings) {
    this(id, accountId, name, createdAtMs, modifiedAtMs, settings, null);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("name", name)
        .put("createdAtMs", createdAtMs)
        .put("modifiedAtMs", modifiedAtMs)
        .put("settings", settings.toJson())
        .put("schema", schema);
  }

  public static QueueInfo fromJson(JsonObject json) {
    return new QueueInfo(json.getString("id"), json.getString("accountId"), json.getString("name"),
        json.getLong("createdAtMs"), json.getLong("modifiedAtMs"),
        QueueSettings.fromJson(json.getJsonObject("settings")), json.getJsonObject("schema"));
  }
}
