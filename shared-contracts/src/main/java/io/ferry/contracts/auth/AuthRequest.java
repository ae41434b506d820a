package io.ferry.contracts.auth;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * A credential as presented (API key or JWT; {@code null} when the request carried none) and the address
 * of the client, for throttling repeated failures.
 */
public record AuthRequest(String credential, String clientAddress) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("credential", credential).put("clientAddress", clientAddress);
  }

  public static AuthRequest fromJson(JsonObject json) {
    return new AuthRequest(json.getString("credential"), json.getString("clientAddress"));
  }
}
