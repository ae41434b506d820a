package io.ferry.admin.core;

import io.ferry.admin.store.SettingRecords;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.SonyaTokenVerifier;
import io.ferry.contracts.auth.TokenClaims;
import io.ferry.contracts.auth.TokenSecret;
import io.ferry.contracts.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Sonya's per-(queue, id) tokens: HS256 JWTs {@code {sub: id, iss: queue, exp, account, aud}}, and Ferry's
 * queue-wide listen tokens {@code {iss: queue, queue_wide: true, exp, account, aud}} (no sub), signed with
 * the configured {@code auth.token-secret}, or with a secret generated at first start and kept in the
 * store (so tokens survive a restart). Verification accepts HS256 with that secret only: {@code alg: none},
 * other algorithms and keys, expired, not-yet-valid and other-audience tokens are refused.
 */
public final class SonyaTokens {

  /** The audience of every token Ferry issues for Sonya, so no other JWT can pass as one. */
  public static final String AUDIENCE = SonyaTokenVerifier.AUDIENCE;
  /** The shortest service token that Sonya-format tokens may be signed with. */
  public static final int MIN_SIGNING_SERVICE_TOKEN = SonyaTokenVerifier.MIN_SIGNING_SERVICE_TOKEN;
  static final String SECRET_SETTING = "sonya-token-secret";
  private static final String ALGORITHM = SonyaTokenVerifier.ALGORITHM;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An issued token and when it expires (unix seconds). */
  public record Issued(String token, long expiration) {
  }

  private final JWTAuth jwt;
  private final SonyaTokenVerifier verifier;
  private final TokenSecret secret;
  private final int ttlSeconds;
  private final String defaultAccountId;

  private SonyaTokens(Vertx vertx, String secret, int ttlSeconds, String serviceToken, String defaultAccountId) {
    this.jwt = SonyaTokenVerifier.provider(vertx, secret);
    this.verifier = SonyaTokenVerifier.create(vertx, secret, defaultAccountId == null ? null : serviceToken);
    this.secret = new TokenSecret(secret);
    this.ttlSeconds = ttlSeconds;
    this.defaultAccountId = defaultAccountId;
  }

  /** With the configured secret, else the stored one (generated and stored on first use); Ferry's tokens only. */
  public static Future<SonyaTokens> open(Vertx vertx, SettingRecords settings, AuthConfig config) {
    return open(vertx, settings, config, null);
  }

  /**
   * Also accepting Sonya-format tokens signed with the service token (when it is long enough), which act for
   * {@code defaultAccountId}, the account the service token belongs to.
   */
  public static Future<SonyaTokens> open(Vertx vertx, SettingRecords settings, AuthConfig config,
      String defaultAccountId) {
    Future<String> secret = config.tokenSecret() != null ? Future.succeededFuture(config.tokenSecret())
        : settings.settingOrInit(SECRET_SETTING, newSecret());
    return secret.map(key -> new SonyaTokens(vertx, key, config.sonyaTokenTtlSeconds(), config.sonyaServiceToken(),
        defaultAccountId));
  }

  /** Whether Sonya-format tokens signed with the service token are accepted, for the default account. */
  public boolean acceptsServiceSigned() {
    return defaultAccountId != null && verifier.acceptsServiceSigned();
  }

  public Issued issue(String accountId, String queueName, String id) {
    return sign(new JsonObject().put("sub", id), accountId, queueName);
  }

  /** A token for every message of the queue, to listen with and for nothing else. */
  public Issued issueForQueue(String accountId, String queueName) {
    return sign(new JsonObject().put(SonyaTokenVerifier.QUEUE_WIDE, true), accountId, queueName);
  }

  private Issued sign(JsonObject grant, String accountId, String queueName) {
    long now = System.currentTimeMillis() / 1000;
    long expiration = now + ttlSeconds;
    JsonObject claims = grant
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
    return verifier.verify(token).map(claims -> claims.kind() == TokenClaims.Kind.SONYA_SERVICE_SIGNED
        ? claims.principalIn(defaultAccountId) : claims.principal());
  }

  /** What verifies these tokens, for admin's own verification of credentials it is handed as presented. */
  public SonyaTokenVerifier verifier() {
    return verifier;
  }

  /** The secret these tokens are signed with, for services that verify them themselves. */
  public TokenSecret secret() {
    return secret;
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
