package io.ferry.contracts.auth;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** The HS256 secret of the tokens admin's generate_jwt issues, for services that verify them themselves. */
public record TokenSecret(String secret) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("secret", secret);
  }

  public static TokenSecret fromJson(JsonObject json) {
    return new TokenSecret(json.getString("secret"));
  }
}
