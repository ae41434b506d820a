package io.ferry.contracts.auth;

import io.ferry.contracts.config.ConfigException;
import io.ferry.contracts.config.JwtConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Verifies bearer JWTs from the user's identity provider ({@code auth.jwt.*}): HS256 with the configured
 * secret, RS256 with configured RSA public keys, ES256 with P-256 ones. A token must be signed by one of them
 * with the algorithm that key is for ({@code alg: none} and algorithm confusion are refused), carry
 * {@code exp}, {@code sub} and {@code account}, name the configured audience in {@code aud}, the configured
 * issuer in {@code iss} (when one is), and be inside its {@code nbf}/{@code exp} window (with the configured
 * leeway). Its rights are the {@code scope} claim's space-separated scope strings (none without it).
 * Verification is CPU only, fine on an event loop.
 */
public final class JwtVerifier {

  /** What a verified token says: who, in which account, with which scopes, until when (epoch ms). */
  public record VerifiedToken(String subject, String accountId, List<String> scopes, long expiresAtMs) {
    public VerifiedToken {
      scopes = List.copyOf(scopes);
    }
  }

  // Epoch seconds whose milliseconds still fit a long.
  private static final double MAX_EXP_SECONDS = Long.MAX_VALUE / 1000.0;

  private final JWTAuth jwt;
  private final JwtConfig config;

  private JwtVerifier(JWTAuth jwt, JwtConfig config) {
    this.jwt = jwt;
    this.config = config;
  }

  /** A verifier that refuses every token (no keys configured). */
  public static JwtVerifier disabled() {
    return new JwtVerifier(null, JwtConfig.none());
  }

  /** A verifier for the configured keys; one that refuses every token when none is configured. */
  public static JwtVerifier create(Vertx vertx, JwtConfig config) {
    if (!config.enabled()) {
      return disabled();
    }
    JWTAuthOptions options = new JWTAuthOptions();
    if (config.hs256Secret() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.hs256Secret()));
    }
    for (String body : config.publicKeyPems()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(PublicKeys.algorithmOf(body))
          .setBuffer(PublicKeys.pem(body)));
    }
    JWTOptions checks = new JWTOptions().setLeeway(config.leewaySeconds()).setAudience(List.of(config.audience()));
    if (config.issuer() != null) {
      checks.setIssuer(config.issuer());
    }
    try {
      return new JwtVerifier(JWTAuth.create(vertx, options.setJWTOptions(checks)), config);
    } catch (RuntimeException unusable) {
      throw new ConfigException("invalid configuration: auth.jwt keys cannot be used: " + unusable.getMessage());
    }
  }

  public boolean enabled() {
    return jwt != null;
  }

  /** The token's claims when it is valid; fails UNAUTHENTICATED saying why it is not. */
  public Future<VerifiedToken> verify(String token) {
    if (jwt == null) {
      return Future.failedFuture(refused("JWTs are not accepted by this server (no auth.jwt keys configured)"));
    }
    Future<User> user;
    try {
      user = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException malformed) {
      user = Future.failedFuture(malformed);
    }
    return user.recover(failure -> Future.failedFuture(TokenRefusal.of(failure)))
        .compose(verified -> {
          try {
            return claims(verified.attributes().getJsonObject("accessToken", verified.principal()));
          } catch (RuntimeException unreadable) {
            return Future.failedFuture(refused("its claims cannot be read"));
          }
        });
  }

  /**
   * Whether an (unverified) token names {@code audience} in its {@code aud} claim: tells which verifier's
   * refusal to report when several could have issued it. Never an authorization decision.
   */
  public static boolean claimsAudience(String token, String audience) {
    try {
      String[] parts = token.split("\\.");
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      Object aud = claims.getValue("aud");
      return audience.equals(aud) || (aud instanceof JsonArray list && list.contains(audience));
    } catch (RuntimeException notAToken) {
      return false;
    }
  }

  // The library checks signature, exp, nbf, aud and iss; these are the claims Ferry itself needs.
  private Future<VerifiedToken> claims(JsonObject claims) {
    Object exp = claims.getValue("exp");
    Object sub = claims.getValue("sub");
    Object account = claims.getValue("account");
    Object scope = claims.getValue("scope");
    if (!(exp instanceof Number expiresAt)) {
      return Future.failedFuture(refused("the exp claim is required"));
    }
    if (expiresAt.doubleValue() >= MAX_EXP_SECONDS) {
      return Future.failedFuture(refused("the exp claim is out of range"));
    }
    if (!claimsAudienceIn(claims)) {
      return Future.failedFuture(refused("the aud claim must contain '" + config.audience() + "'"));
    }
    if (config.issuer() != null && !config.issuer().equals(claims.getValue("iss"))) {
      return Future.failedFuture(refused("the iss claim must be '" + config.issuer() + "'"));
    }
    if (!(sub instanceof String subject) || subject.isEmpty()) {
      return Future.failedFuture(refused("the sub claim is required"));
    }
    if (!(account instanceof String accountId) || accountId.isEmpty()) {
      return Future.failedFuture(refused("the account claim (an account id) is required"));
    }
    if (scope != null && !(scope instanceof String)) {
      return Future.failedFuture(refused("the scope claim must be a string of space-separated scopes"));
    }
    List<String> scopes = scope == null ? List.of()
        : CanonicalScopes.of(Arrays.asList(((String) scope).trim().split("\\s+")));
    return Future.succeededFuture(new VerifiedToken(subject, accountId, scopes,
        expiresAt.longValue() * 1000L));
  }

  private boolean claimsAudienceIn(JsonObject claims) {
    Object aud = claims.getValue("aud");
    return config.audience().equals(aud) || (aud instanceof JsonArray list && list.contains(config.audience()));
  }

  private static FerryException refused(String why) {
    return new FerryException(ErrorCode.UNAUTHENTICATED, "the token is not valid: " + why);
  }
}
