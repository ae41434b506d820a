package io.ferry.admin.model;

import io.vertx.core.json.JsonObject;

/**
 * A webhook listener of a queue, with the {@code whsec_} secret its deliveries are signed with. A listener that
 * is not {@code enabled} (its receiver answered 410 Gone, or a user disabled it) gets no deliveries.
 */
public record Listener(String id, String accountId, String queueId, String name, String notifyUrl,
    String livenessUrl, String secret, long createdAtMs, boolean enabled) {

  /** An enabled listener. */
  public Listener(String id, String accountId, String queueId, String name, String notifyUrl,
      String livenessUrl, String secret, long createdAtMs) {
    this(id, accountId, queueId, name, notifyUrl, livenessUrl, secret, createdAtMs, true);
  }

  public Listener withSecret(String newSecret) {
    return new Listener(id, accountId, queueId, name, notifyUrl, livenessUrl, newSecret, createdAtMs, enabled);
  }

  public Listener withEnabled(boolean nowEnabled) {
    return new Listener(id, accountId, queueId, name, notifyUrl, livenessUrl, secret, createdAtMs, nowEnabled);
  }

  public Listener withSettings(String newName, String newNotifyUrl, String newLivenessUrl) {
    return new Listener(id, accountId, queueId, newName, newNotifyUrl, newLivenessUrl, secret, createdAtMs, enabled);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("queueId", queueId)
        .put("name", name)
        .put("notifyUrl", notifyUrl)
        .put("livenessUrl", livenessUrl)
        .put("secret", secret)
        .put("createdAtMs", createdAtMs)
        .put("enabled", enabled);
  }

  public static Listener fromJson(JsonObject json) {
    // Records written before listeners could be disabled have no flag: they were all enabled.
    return new Listener(json.getString("id"), json.getString("accountId"), json.getString("queueId"),
        json.getString("name"), json.getString("notifyUrl"), json.getString("livenessUrl"),
        json.getString("secret"), json.getLong("createdAtMs"), json.getBoolean("enabled", true));
  }
}
