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
 * {@link #AUDIENCE}, claims {@code {sub: id, iss: queue, account, exp}}, or for every message of the queue
 * {@code {iss: queue, account, exp, queue_wide: true}} and no {@code sub} ({@link #QUEUE_WIDE}: Sonya read
 * access to that queue, {@link Principal#sonyaListenQueue}). {@code alg: none}, other algorithms
 * and keys, expired, not-yet-valid and other-audience tokens are refused. With a service token of at least
 * {@link #MIN_SIGNING_SERVICE_TOKEN} characters, also Sonya's own format: HS256 over exactly
 * {@code {sub, iss, exp}} signed with the service token, for the default account only. CPU only.
 */
public final class SonyaTokenVerifier {

  /** The audience of every token Ferry issues for Sonya, so no other JWT can pass as one. */
  public static final String AUDIENCE = "ferry-sonya";
  public static final String ALGORITHM = "HS256";
  /**
   * The shortest service token that Sonya-format tokens may be signed with: anyone holding such a token can
   * guess the key offline at HMAC speed, so a short one signs nothing.
   */
  public static final int MIN_SIGNING_SERVICE_TOKEN = 32;
  /** The claim that marks a token for every message of its queue ({@code true}); such a token has no sub. */
  public static final String QUEUE_WIDE = "queue_wide";

  private final JWTAuth jwt;
  private final JWTAuth serviceSigned;

  private SonyaTokenVerifier(JWTAuth jwt, JWTAuth serviceSigned) {
    this.jwt = jwt;
    this.serviceSigned = serviceSigned;
  }

  public static SonyaTokenVerifier create(Vertx vertx, String secret) {
    return create(vertx, secret, null);
  }

  /** Also accepting Sonya-format tokens signed with {@code serviceToken} when it is long enough. */
  public static SonyaTokenVerifier create(Vertx vertx, String secret, String serviceToken) {
    JWTAuth serviceSigned = serviceToken == null || serviceToken.length() < MIN_SIGNING_SERVICE_TOKEN ? null
        : JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(serviceToken)));
    return new SonyaTokenVerifier(provider(vertx, secret), serviceSigned);
  }

  /** Whether Sonya-format tokens signed with the service token are verified too. */
  public boolean acceptsServiceSigned() {
    return serviceSigned != null;
  }

  /** The provider that signs and verifies these tokens with {@code secret}. */
  public static JWTAuth provider(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(secret))
        .setJWTOptions(new JWTOptions().setAudience(List.of(AUDIENCE))));
  }

  /** The claims of a valid token; fails UNAUTHENTICATED naming why the token is refused. */
  public Future<TokenClaims> verify(String token) {
    Future<TokenClaims> issued = verified(jwt, token).compose(SonyaTokenVerifier::claimsOf);
    if (serviceSigned == null) {
      return issued;
    }
    // A token that claims Ferry's audience is refused for Ferry's reason; any other for Sonya's.
    return issued.recover(issuedRefusal -> verified(serviceSigned, token)
        .compose(SonyaTokenVerifier::serviceSignedClaimsOf)
        .recover(sonyaRefusal -> Future.failedFuture(
            JwtVerifier.claimsAudience(token, AUDIENCE) ? issuedRefusal : sonyaRefusal)));
  }

  // The refusal is Ferry's own words: the parser's message would describe the token's insides to its sender.
  private static Future<User> verified(JWTAuth auth, String token) {
    Future<User> user;
    try {
      user = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException malformed) {
      user = Future.failedFuture(malformed);
    }
    return user.recover(failure -> Future.failedFuture(TokenRefusal.of(failure)));
  }

  // Sonya's claims only: a token with Ferry's claims was meant for Ferry's key, never for the default account.
  private static Future<TokenClaims> serviceSignedClaimsOf(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    if (claims.containsKey("aud") || claims.containsKey("account")) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
          "the token is not valid: a token signed with the service token carries only sub, iss and exp"));
    }
    if (!(claims.getValue("sub") instanceof String id) || !(claims.getValue("iss") instanceof String queue)
        || !(claims.getValue("exp") instanceof Number expiration)) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
          "the token is not valid: it needs the claims sub, iss and exp"));
    }
    return Future.succeededFuture(new TokenClaims(TokenClaims.Kind.SONYA_SERVICE_SIGNED, "sonya:" + id, null,
        List.of(Principal.sonyaListen(queue, id)), expiration.longValue() * 1000));
  }

  private static Future<TokenClaims> claimsOf(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    Object sub = claims.getValue("sub");
    Object iss = claims.getValue("iss");
    Object account = claims.getValue("account");
    Object exp = claims.getValue("exp");
    if (claims.containsKey(QUEUE_WIDE)) {
      return queueWideClaimsOf(claims);
    }
    // A token without an expiry would never expire; one without these claims was not issued by Ferry.
    if (!(sub instanceof String id) || !(iss instanceof String queue) || !(account instanceof String accountId)
        || !(exp instanceof Number expiration)) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
          "the token is not valid: it needs the claims sub, iss, account and exp"));
    }
    return Future.succeededFuture(new TokenClaims(TokenClaims.Kind.SONYA, "sonya:" + id, accountId,
        List.of(Principal.sonyaListen(queue, id)), expiration.longValue() * 1000));
  }

  // A queue-wide token names no id: one that also has a sub is neither kind, so it is refused, not narrowed.
  private static Future<TokenClaims> queueWideClaimsOf(JsonObject claims) {
    if (!Boolean.TRUE.equals(claims.getValue(QUEUE_WIDE)) || claims.containsKey("sub")
        || !(claims.getValue("iss") instanceof String queue) || !(claims.getValue("account") instanceof String accountId)
        || !(claims.getValue("exp") instanceof Number expiration)) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
          "the token is not valid: a queue-wide token needs the claims iss, account, exp and queue_wide: true, "
              + "and no sub"));
    }
    return Future.succeededFuture(new TokenClaims(TokenClaims.Kind.SONYA, "sonya-queue:" + queue, accountId,
        List.of(Principal.sonyaListenQueue(queue)), expiration.longValue() * 1000));
  }
}
