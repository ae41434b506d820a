package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * A webhook listener as the dispatcher needs it. The listener's subscription in messaging-service has the
 * listener's id. {@code secret} is the {@code whsec_} signing secret and never leaves the cluster.
 * {@code enabled} is false once a receiver answered 410 Gone (or a user disabled it): nothing is delivered.
 */
public record ListenerInfo(String id, String accountId, String queueId, String queueName, String name,
    String notifyUrl, String livenessUrl, String secret, boolean enabled) implements BusPayload {

  /** An enabled listener. */
  public ListenerInfo(String id, String accountId, String queueId, String queueName, String name,
      String notifyUrl, String livenessUrl, String secret) {
    this(id, accountId, queueId, queueName, name, notifyUrl, livenessUrl, secret, true);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("queueId", queueId)
        .put("queueName", queueName)
        .put("name", name)
        .put("notifyUrl", notifyUrl)
        .put("livenessUrl", livenessUrl)
        .put("secret", secret)
        .put("enabled", enabled);
  }

  public static ListenerInfo fromJson(JsonObject json) {
    return new ListenerInfo(json.getString("id"), json.getString("accountId"), json.getString("queueId"),
        json.getString("queueName"), json.getString("name"), json.getString("notifyUrl"),
        json.getString("livenessUrl"), json.getString("secret"), json.getBoolean("enabled", true));
  }
}
