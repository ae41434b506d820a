package io.ferry.admin.store;

import io.vertx.core.json.JsonObject;

/** A webhook listener of a queue, with the {@code whsec_} secret its deliveries are signed with. */
public record Listener(String id, String accountId, String queueId, String name, String notifyUrl,
    String livenessUrl, String secret, long createdAtMs) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("queueId", queueId)
        .put("name", name)
        .put("notifyUrl", notifyUrl)
        .put("livenessUrl", livenessUrl)
        .put("secret", secret)
        .put("createdAtMs", createdAtMs);
  }

  public static Listener fromJson(JsonObject json) {
    return new Listener(json.getString("id"), json.getString("accountId"), json.getString("queueId"),
        json.getString("name"), json.getString("notifyUrl"), json.getString("livenessUrl"),
        json.getString("secret"), json.getLong("createdAtMs"));
  }
}
