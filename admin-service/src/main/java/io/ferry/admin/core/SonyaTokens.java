package io.ferry.admin.core;

import io.ferry.admin.store.AdminStore;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Sonya's per-(queue, id) tokens: HS256 JWTs {@code {sub: id, iss: queue, exp, account, aud}} signed with
 * the configured {@code auth.token-secret}, or with a secret generated at first start and kept in the
 * store (so tokens survive a restart). Verification accepts HS256 with that secret only: {@code alg: none},
 * other algorithms and keys, expired, not-yet-valid and other-audience tokens are refused.
 */
public final class SonyaTokens {

  /** The audience of every token Ferry issues for Sonya, so no other JWT can pass as one. */
  public static final String AUDIENCE = "ferry-sonya";
  static final String SECRET_SETTING = "sonya-token-secret";
  private static final String ALGORITHM = "HS256";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An issued token and when it expires (unix seconds). */
  public record Issued(String token, long expiration) {
  }

  private final JWTAuth jwt;
  private final int ttlSeconds;

  private SonyaTokens(JWTAuth jwt, int ttlSeconds) {
    this.jwt = jwt;
    this.ttlSeconds = ttlSeconds;
  }

  /** With the configured secret, else the stored one (generated and stored on first use). */
  public static Future<SonyaTokens> open(Vertx vertx, AdminStore store, AuthConfig config) {
    Future<String> secret = config.tokenSecret() != null ? Future.succeededFuture(config.tokenSecret())
        : store.settingOrInit(SECRET_SETTING, newSecret());
    return secret.map(key -> new SonyaTokens(JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(key))
        .setJWTOptions(new JWTOptions().setAudience(List.of(AUDIENCE)))), config.sonyaTokenTtlSeconds()));
  }

  /** Whether a credential has the shape of a JWT (three dot-separated parts) rather than of an API key. */
  public static boolean looksLikeJwt(String credential) {
    return credential.chars().filter(c -> c == '.').count() == 2;
  }

  public Issued issue(String accountId, String queueName, String id) {
    long now = System.currentTimeMillis() / 1000;
    long expiration = now + ttlSeconds;
    JsonObject claims = new JsonObject()
        .put("sub", id)
        .put("iss", queueName)
        .put("aud", AUDIENCE)
        .put("account", accountId)
        .put("iat", now)
        .put("exp", expiration);
    String token = jwt.generateToken(claims, new JWTOptions().setAlgorithm(ALGORITHM).setNoTimestamp(true));
    return new Issued(token, expiration);
  }

  /** The principal of a valid token; fails UNAUTHENTICATED naming why the token is refused. */
  public Future<Principal> verify(String token) {
    Future<User> user;
    try {
      user = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException malformed) {
      user = Future.failedFuture(malformed);
    }
    return user.recover(failure -> Future.failedFuture(TokenRefusal.of(failure)))
        .compose(SonyaTokens::principalOf);
  }

  private static Future<Principal> principalOf(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    Object sub = claims.getValue("sub");
    Object iss = claims.getValue("iss");
    Object account = claims.getValue("account");
    Object exp = claims.getValue("exp");
    // A token without an expiry would never expire; one without these claims was not issued by Ferry.
    if (!(sub instanceof String id) || !(iss instanceof String queue) || !(account instanceof String accountId)
        || !(exp instanceof Number expiration)) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
          "the token is not valid: it needs the claims sub, iss, account and exp"));
    }
    return Future.succeededFuture(new Principal(accountId, "sonya:" + id,
        List.of(Principal.sonyaListen(queue, id)), false, expiration.longValue() * 1000));
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
