package io.ferry.contracts.auth;

import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.config.TokenConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.function.LongSupplier;

/**
 * Verifies bearer JWTs where they arrive, so that a token never crosses the event bus: turns a presented
 * credential into the {@link AuthRequest} admin resolves (the credential's hash, and for a JWT its verified
 * claims or why it was refused). Identity-provider JWTs are tried first ({@code auth.jwt.*}), then
 * generate_jwt tokens, signed with {@code auth.token-secret} or, when that is not configured, with the
 * secret admin keeps, asked of admin over the (mutually authenticated) bus once and cached. When such a
 * token fails as {@code invalid token}, the secret is asked again, at most once per {@link #REFETCH_MS}, so
 * that a secret admin has replaced is picked up. Safe to share between event loops.
 */
public final class TokenVerifier implements Shareable {

  /** The shortest time between two requests for admin's secret after the first. */
  public static final long REFETCH_MS = 30_000;
  private static final long FETCH_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final JwtVerifier identityProvider;
  private final boolean secretConfigured;
  private final String serviceToken;
  private final LongSupplier clock;
  private volatile SonyaTokenVerifier sonya;
  private volatile long fetchedAtMs;

  private TokenVerifier(Vertx vertx, JwtVerifier identityProvider, SonyaTokenVerifier sonya, String serviceToken,
      LongSupplier clock) {
    this.vertx = vertx;
    this.identityProvider = identityProvider;
    this.sonya = sonya;
    this.secretConfigured = sonya != null;
    this.serviceToken = serviceToken != null && serviceToken.length() >= SonyaTokenVerifier.MIN_SIGNING_SERVICE_TOKEN
        ? serviceToken : null;
    this.clock = clock;
  }

  /** For a service: the configured keys, and admin's secret when none is configured. */
  public static TokenVerifier create(Vertx vertx, TokenConfig config) {
    return create(vertx, config, System::currentTimeMillis);
  }

  static TokenVerifier create(Vertx vertx, TokenConfig config, LongSupplier clock) {
    return new TokenVerifier(vertx, JwtVerifier.create(vertx, config.jwt()), config.tokenSecret() == null ? null
        : SonyaTokenVerifier.create(vertx, config.tokenSecret(), config.sonyaServiceToken()),
        config.sonyaServiceToken(), clock);
  }

  /** For admin itself, which holds the generate_jwt secret (so never asks the bus for it). */
  public static TokenVerifier of(JwtVerifier identityProvider, SonyaTokenVerifier sonya, String serviceToken) {
    return new TokenVerifier(null, identityProvider, java.util.Objects.requireNonNull(sonya), serviceToken,
        System::currentTimeMillis);
  }

  /** Whether a credential has the shape of a JWT (three dot-separated parts) rather than of an API key. */
  public static boolean looksLikeJwt(String credential) {
    return credential.chars().filter(c -> c == '.').count() == 2;
  }

  /**
   * What admin is sent for {@code credential} ({@code null}: none presented). Fails only when a token could
   * not be checked at all (admin's secret could not be fetched); a refused token is a request saying why.
   */
  public Future<AuthRequest> request(String credential, String clientAddress) {
    if (credential == null || credential.isBlank() || !looksLikeJwt(credential)) {
      return Future.succeededFuture(AuthRequest.of(credential, clientAddress));
    }
    return verify(credential).transform(verified -> {
      if (verified.succeeded()) {
        return Future.succeededFuture(AuthRequest.verified(credential, clientAddress, verified.result()));
      }
      if (verified.cause() instanceof FerryException refused && refused.code() == ErrorCode.UNAUTHENTICATED) {
        return Future.succeededFuture(AuthRequest.refused(credential, clientAddress, refused.getMessage()));
      }
      return Future.failedFuture(verified.cause());
    });
  }

  /**
   * The claims of a valid token; fails UNAUTHENTICATED saying why it is not. When both kinds refuse it, the
   * reason given is the one of the kind the token claims to be (by its audience).
   */
  public Future<TokenClaims> verify(String token) {
    if (!identityProvider.enabled()) {
      return sonya(token);
    }
    return identityProvider.verify(token)
        .map(verified -> new TokenClaims(TokenClaims.Kind.IDENTITY_PROVIDER, verified.subject(),
            verified.accountId(), verified.scopes(), verified.expiresAtMs()))
        .recover(userRefusal -> {
          if (JwtVerifier.claimsAudience(token, SonyaTokenVerifier.AUDIENCE)) {
            return sonya(token);
          }
          // A Sonya-format token names no audience; anything else keeps the identity provider's reason.
          return serviceToken == null ? Future.failedFuture(userRefusal)
              : sonya(token).recover(sonyaRefusal -> Future.failedFuture(userRefusal));
        });
  }

  private Future<TokenClaims> sonya(String token) {
    SonyaTokenVerifier known = sonya;
    if (known == null) {
      return fetchSecret().compose(fetched -> fetched.verify(token));
    }
    return known.verify(token).recover(refusal -> mayRefetch(refusal)
        ? fetchSecret().compose(fetched -> fetched.verify(token)) : Future.failedFuture(refusal));
  }

  // Only a bad signature (or a token that is no JWT at all: the library does not tell them apart) can mean
  // admin signs with another secret now; and never more often than REFETCH_MS, so that forged tokens cannot
  // make every request ask admin.
  private boolean mayRefetch(Throwable refusal) {
    return !secretConfigured && refusal instanceof FerryException refused
        && TokenRefusal.INVALID_TOKEN.equals(refused.getMessage())
        && clock.getAsLong() - fetchedAtMs >= REFETCH_MS;
  }

  private Future<SonyaTokenVerifier> fetchSecret() {
    fetchedAtMs = clock.getAsLong();
    return Bus.request(vertx, Endpoints.AUTH_TOKEN_SECRET, null, FETCH_TIMEOUT_MS)
        .map(secret -> {
          SonyaTokenVerifier fetched = SonyaTokenVerifier.create(vertx, secret.secret(), serviceToken);
          sonya = fetched;
          return fetched;
        });
  }
}
