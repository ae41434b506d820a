package io.ferry.contracts.auth;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * Some credential of {@code accountId} was disabled, deleted or changed, and the change is durable: a
 * principal cached for any credential of that account may no longer be what admin would answer now.
 */
public record CredentialsRevoked(String accountId) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("accountId", accountId);
  }

  public static CredentialsRevoked fromJson(JsonObject json) {
    return new CredentialsRevoked(json.getString("accountId"));
  }
}
