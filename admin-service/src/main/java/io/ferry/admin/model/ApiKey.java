package io.ferry.admin.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An API key as stored: only the SHA-256 hash ({@code keyHash}, lowercase hex) of the key itself is kept,
 * so the key cannot be recovered from storage. {@code status} is {@link #ENABLED} or {@link #DISABLED};
 * {@code scopes} are {@code io.ferry.contracts.auth.Scope} strings ({@code "*"}: everything). A {@code root}
 * key may also manage accounts.
 */
public record ApiKey(String id, String accountId, String name, String keyHash, boolean root, long createdAtMs,
    String status, List<String> scopes) {

  public static final String ENABLED = "enabled";
  public static final String DISABLED = "disabled";
  private static final List<String> EVERYTHING = List.of("*");

  public ApiKey {
    scopes = List.copyOf(scopes);
  }

  /** An enabled key with every scope (what every key was before keys had status and scopes). */
  public ApiKey(String id, String accountId, String name, String keyHash, boolean root, long createdAtMs) {
    this(id, accountId, name, keyHash, root, createdAtMs, ENABLED, EVERYTHING);
  }

  public boolean enabled() {
    return ENABLED.equals(status);
  }

  /** This key with another name, status and scopes; the secret (its hash) stays. */
  public ApiKey with(String newName, String newStatus, List<String> newScopes) {
    return new ApiKey(id, accountId, newName, keyHash, root, createdAtMs, newStatus, newScopes);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("name", name)
        .put("keyHash", keyHash)
        .put("root", root)
        .put("createdAtMs", createdAtMs)
        .put("status", status)
        .put("scopes", new JsonArray(scopes));
  }

  /** Records written before keys had status and scopes load as enabled keys with every scope. */
  @SuppressWarnings("unchecked")
  public static ApiKey fromJson(JsonObject json) {
    JsonArray scopes = json.getJsonArray("scopes");
    return new ApiKey(json.getString("id"), json.getString("accountId"), json.getString("name"),
        json.getString("keyHash"), json.getBoolean("root"), json.getLong("createdAtMs"),
        json.getString("status", ENABLED), scopes == null ? EVERYTHING : scopes.getList());
  }
}
