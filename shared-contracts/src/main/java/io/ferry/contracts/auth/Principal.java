package io.ferry.contracts.auth;

import io.ferry.contracts.bus.BusPayload;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who is calling: the account every resource access is confined to, the subject (key id or JWT
 * {@code sub}), its scopes, whether it may manage accounts ({@code root}), and when its credential expires
 * ({@code expiresAtMs}, 0 when it does not).
 *
 * <p>Scopes are {@link Scope} strings ({@code resource:access:target}); {@code "*"} allows everything. A Sonya
 * per-(queue, id) token carries exactly one scope, {@link #sonyaListen(String, String)}, which is not a
 * {@link Scope} string and allows nothing but that subscription; a queue-wide listen token carries exactly
 * {@link #sonyaListenQueue(String)}, Sonya read access to that one queue.
 */
public record Principal(String accountId, String subject, List<String> scopes, boolean root, long expiresAtMs)
    implements BusPayload {

  public static final String ALL = "*";
  /** Every Sonya route (the service token's scope). */
  public static final String SONYA = "sonya";

  public Principal {
    scopes = List.copyOf(scopes);
  }

  /** A principal whose credential does not expire. */
  public Principal(String accountId, String subject, List<String> scopes, boolean root) {
    this(accountId, subject, scopes, root, 0);
  }

  /** The scope of a Sonya token for one queue and id. */
  public static String sonyaListen(String queueName, String id) {
    return "sonya:listen:" + queueName + ":" + id;
  }

  /**
   * The scope of a Sonya token for every message of one queue: Sonya read access to it by name, which the
   * listen routes require of a queue route and no other route accepts.
   */
  public static String sonyaListenQueue(String queueName) {
    return new Scope(Scope.SONYA, Scope.READ, queueName).toString();
  }

  /** Whether this principal may act on resources of {@code account}. */
  public boolean owns(String account) {
    return accountId.equals(account);
  }

  /** Whether the scopes include exactly {@code scope} (or everything). */
  public boolean allows(String scope) {
    return scopes.contains(ALL) || scopes.contains(scope);
  }

  /**
   * Whether some scope grants {@code access} to {@code resource} on one of {@code targets} (a queue's id
   * and name). Scopes that are not {@link Scope} strings (a Sonya listen token's) grant nothing here; the
   * legacy {@link #SONYA} scope grants every Sonya route.
   */
  public boolean allows(String resource, String access, String... targets) {
    for (String text : scopes) {
      Scope scope = Scope.parse(text);
      if (scope != null && scope.covers(resource, access, targets)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Fails with FORBIDDEN unless some scope grants {@code access} to {@code resource} on one of
   * {@code targets} (pass a queue's id and name). Call it once the resource is known to be the caller's own:
   * a resource of another account is NOT_FOUND, never FORBIDDEN, so that its existence does not show.
   */
  public void check(String resource, String access, String... targets) {
    if (!allows(resource, access, targets)) {
      throw new FerryException(ErrorCode.FORBIDDEN,
          "the credential does not allow " + access + " access to " + resource + " of this queue");
    }
  }

  /** Whether some scope grants {@code access} to {@code resource} on at least one target. */
  public boolean allowsSome(String resource, String access) {
    for (String text : scopes) {
      Scope scope = Scope.parse(text);
      if (scope != null && scope.coversSome(resource, access)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #allows(String, String, String...)} for a known resource and access level. */
  public boolean allows(Resource resource, Access access, String... targets) {
    return allows(resource.wire(), access.wire(), targets);
  }

  /** {@link #check(String, String, String...)} for a known resource and access level. */
  public void check(Resource resource, Access access, String... targets) {
    check(resource.wire(), access.wire(), targets);
  }

  /** {@link #allowsSome(String, String)} for a known resource and access level. */
  public boolean allowsSome(Resource resource, Access access) {
    return allowsSome(resource.wire(), access.wire());
  }

  /** Whether the credential has expired at {@code nowMs}. */
  public boolean expiredAt(long nowMs) {
    return expiresAtMs > 0 && nowMs >= expiresAtMs;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("accountId", accountId)
        .put("subject", subject)
        .put("scopes", new JsonArray(scopes))
        .put("root", root)
        .put("expiresAtMs", expiresAtMs);
  }

  @SuppressWarnings("unchecked")
  public static Principal fromJson(JsonObject json) {
    return new Principal(json.getString("accountId"), json.getString("subject"),
        json.getJsonArray("scopes").getList(), json.getBoolean("root"), json.getLong("expiresAtMs", 0L));
  }
}
