package io.ferry.admin.model;

import io.vertx.core.json.JsonObject;

/** A tenant: every queue, key and listener belongs to exactly one account. */
public record Account(String id, String name, long createdAtMs) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("createdAtMs", createdAtMs);
  }

  public static Account fromJson(JsonObject json) {
    return new Account(json.getString("id"), json.getString("name"), json.getLong("createdAtMs"));
  }
}
