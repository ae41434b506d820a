package io.ferry.contracts.auth;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a JWT said once its signature and time window were verified where it arrived: its kind, subject,
 * account, scopes (canonical) and expiry (epoch ms). Admin resolves these to a {@link Principal} (does the
 * account exist) without ever seeing the token itself.
 */
public record TokenClaims(Kind kind, String subject, String accountId, List<String> scopes, long expiresAtMs)
    implements BusPayload {

  /**
   * Who issued the token: the user's identity provider, admin's generate_jwt, or a Sonya client signing with
   * the service token ({@code SONYA_SERVICE_SIGNED}: no account claim; admin resolves it to the default
   * account, whose the service token is).
   */
  public enum Kind { IDENTITY_PROVIDER, SONYA, SONYA_SERVICE_SIGNED }

  public TokenClaims {
    scopes = List.copyOf(scopes);
  }

  /** The principal these claims describe. Tokens are never root. */
  public Principal principal() {
    return principalIn(accountId);
  }

  /** The principal these claims describe in {@code account} (a token that names none acts there). */
  public Principal principalIn(String account) {
    return new Principal(account, subject, scopes, false, expiresAtMs);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.name()).put("subject", subject).put("accountId", accountId)
        .put("scopes", new JsonArray(scopes)).put("expiresAtMs", expiresAtMs);
  }

  @SuppressWarnings("unchecked")
  public static TokenClaims fromJson(JsonObject json) {
    return json == null ? null : new TokenClaims(Kind.valueOf(json.getString("kind")), json.getString("subject"),
        json.getString("accountId"), json.getJsonArray("scopes").getList(), json.getLong("expiresAtMs", 0L));
  }
}
