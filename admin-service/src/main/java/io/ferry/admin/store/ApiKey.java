package io.ferry.admin.store;

import io.vertx.core.json.JsonObject;

/**
 * An API key as stored: only the SHA-256 hash ({@code keyHash}, lowercase hex) of the key itself is kept,
 * so the key cannot be recovered from storage.
 */
public record ApiKey(String id, String accountId, String name, String keyHash, boolean root, long createdAtMs) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("name", name)
        .put("keyHash", keyHash)
        .put("root", root)
        .put("createdAtMs", createdAtMs);
  }

  public static ApiKey fromJson(JsonObject json) {
    return new ApiKey(json.getString("id"), json.getString("accountId"), json.getString("name"),
        json.getString("keyHash"), json.getBoolean("root"), json.getLong("createdAtMs"));
  }
}
