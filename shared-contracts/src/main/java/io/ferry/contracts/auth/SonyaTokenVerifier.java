package io.ferry.contracts.auth;

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
import java.util.List;

/**
 * Verifies the tokens admin's generate_jwt issues: HS256 with the given secret only, audience
 * {@link #AUDIENCE}, claims {@code {sub: id, iss: queue, account, exp}}. {@code alg: none}, other algorithms
 * and keys, expired, not-yet-valid and other-audience tokens are refused. CPU only.
 */
public final class SonyaTokenVerifier {

  /** The audience of every token Ferry issues for Sonya, so no other JWT can pass as one. */
  public static final String AUDIENCE = "ferry-sonya";
  public static final String ALGORITHM = "HS256";

  private final JWTAuth jwt;

  private SonyaTokenVerifier(JWTAuth jwt) {
    this.jwt = jwt;
  }

  public static SonyaTokenVerifier create(Vertx vertx, String secret) {
    return new SonyaTokenVerifier(provider(vertx, secret));
  }

  /** The provider that signs and verifies these tokens with {@code secret}. */
  public static JWTAuth provider(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(secret))
        .setJWTOptions(new JWTOptions().setAudience(List.of(AUDIENCE))));
  }

  /** The claims of a valid token; fails UNAUTHENTICATED naming why the token is refused. */
  public Future<TokenClaims> verify(String token) {
    Future<User> user;
    try {
      user = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException malformed) {
      user = Future.failedFuture(malformed);
    }
    return user.recover(failure -> Future.failedFuture(TokenRefusal.of(failure)))
        .compose(SonyaTokenVerifier::claimsOf);
  }

  private static Future<TokenClaims> claimsOf(User user) {
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
    return Future.succeededFuture(new TokenClaims(TokenClaims.Kind.SONYA, "sonya:" + id, accountId,
        List.of(Principal.sonyaListen(queue, id)), expiration.longValue() * 1000));
  }
}
