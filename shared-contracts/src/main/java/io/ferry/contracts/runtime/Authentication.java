package io.ferry.contracts.runtime;

import io.ferry.contracts.auth.CredentialsRevoked;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.TokenVerifier;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.config.TokenConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.net.TrustedProxies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolves who a request comes from and puts the {@link Principal} on the routing context; what the
 * principal may do is checked afterwards, per route, by {@link Authorization}. There is one instance per
 * Vert.x instance ({@link #of(Vertx)}), so every route and every event loop of a process shares one cache.
 *
 * <p>The credential is read from {@code Authorization: Bearer}, {@code X-API-KEY}, or {@code ?access_token=} on
 * the listen routes only (browsers cannot set headers on a WebSocket; anywhere else a key in the URL would end
 * up in access logs). A JWT is verified here ({@link TokenVerifier}); admin-service, which owns accounts, keys
 * and the failed-authentication throttle, is then asked with the credential's hash and the token's verified
 * claims (or why it was refused), never the credential itself. Successful answers are cached for a few
 * seconds so that the hot paths do not cross the bus on every request. When admin announces that a
 * credential of an account was disabled, deleted or changed ({@link Endpoints#CREDENTIALS_REVOKED}), every
 * cached principal of that account is dropped at once; the expiry only bounds how long a missed
 * announcement can leave a revoked key working.
 */
public final class Authentication implements Handler<RoutingContext>, Shareable {

  static final long CACHE_MS = 5_000;
  private static final int CACHE_LIMIT = 10_000;
  private static final String PRINCIPAL_KEY = "ferry.principal";
  private static final String INSTANCE = "ferry.authentication";

  private final Vertx vertx;
  private final TrustedProxies proxies;
  private final TokenVerifier tokens;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  // Counts revocations received: an answer asked of admin before one arrived may predate the change it
  // announces, so it is used for its request but not cached.
  private final AtomicLong revocations = new AtomicLong();
  private final MessageConsumer<CredentialsRevoked> revocationFeed;

  private Authentication(Vertx vertx, TrustedProxies proxies, TokenVerifier tokens) {
    this.vertx = vertx;
    this.proxies = proxies;
    this.tokens = tokens;
    this.revocationFeed = Bus.subscribe(vertx, Endpoints.CREDENTIALS_REVOKED, this::forget);
  }

  /**
   * Sets up this Vert.x instance's authentication: which proxies it believes about the client's address and
   * how it verifies JWTs. Call before any route is mounted.
   */
  public static Authentication install(Vertx vertx, TrustedProxies proxies, TokenVerifier tokens) {
    Authentication authentication = new Authentication(vertx, proxies, tokens);
    Authentication replaced = vertx.sharedData().<String, Authentication>getLocalMap(INSTANCE)
        .put(INSTANCE, authentication);
    if (replaced != null) {
      replaced.revocationFeed.unregister();
    }
    return authentication;
  }

  /** Completes once revocations announced anywhere in the cluster reach this instance. */
  public Future<Void> followingRevocations() {
    return revocationFeed.completion();
  }

  /**
   * This Vert.x instance's authentication; without {@link #install} no proxy is trusted and generate_jwt
   * tokens are verified with the secret asked of admin.
   */
  public static Authentication of(Vertx vertx) {
    return vertx.sharedData().<String, Authentication>getLocalMap(INSTANCE).computeIfAbsent(INSTANCE,
        key -> new Authentication(vertx, TrustedProxies.none(), TokenVerifier.create(vertx, TokenConfig.none())));
  }

  /** The principal authentication put on this request, or {@code null} before it ran. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL_KEY);
  }

  /** The principal of an authenticated request; UNAUTHENTICATED when there is none. */
  public static Principal requirePrincipal(RoutingContext ctx) {
    Principal principal = principal(ctx);
    if (principal == null) {
      throw new FerryException(ErrorCode.UNAUTHENTICATED, "authentication required");
    }
    return principal;
  }

  /**
   * The credential a request presents, or {@code null}. {@code ?access_token=} counts only on the Sonya
   * listen routes (WebSocket and long-poll), whose browser clients cannot set headers; anywhere else it is
   * refused with 401 rather than ignored, so that a key put in a URL (and so in access logs and proxies'
   * URLs) is noticed and moved to a header.
   */
  public static String credential(HttpServerRequest request) {
    // Without a query there is nothing to decode: most requests need no parameter map at all.
    String queryToken = request.query() == null ? null : request.getParam("access_token");
    if (queryToken != null && !acceptsQueryToken(request.path())) {
      throw new FerryException(ErrorCode.UNAUTHENTICATED, "?access_token= is accepted only on the WebSocket and "
          + "long-poll listen routes; send the credential in the Authorization: Bearer or X-API-KEY header");
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    String apiKey = request.getHeader("X-API-KEY");
    if (apiKey != null) {
      return apiKey.trim();
    }
    return queryToken;
  }

  // Judged on the path as the router sees it: "/queue/listen/../../v1/queues" is routed to /v1/queues.
  private static boolean acceptsQueryToken(String path) {
    try {
      return path != null && io.vertx.core.internal.net.RFC3986.normalizePath(path).startsWith("/queue/listen/");
    } catch (RuntimeException undecodable) {
      return false;
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (principal(ctx) != null) {
      ctx.next();
      return;
    }
    authenticate(ctx.request()).onSuccess(principal -> {
      ctx.put(PRINCIPAL_KEY, principal);
      ctx.next();
    }).onFailure(ctx::fail);
  }

  /** Who {@code request} comes from; fails UNAUTHENTICATED, FORBIDDEN or TOO_MANY_REQUESTS. */
  public Future<Principal> authenticate(HttpServerRequest request) {
    String credential;
    try {
      credential = credential(request);
    } catch (FerryException refused) {
      return Future.failedFuture(refused);
    }
    String cacheKey = credential == null ? "" : credential;
    long now = System.currentTimeMillis();
    Cached cached = cache.get(cacheKey);
    if (cached != null && cached.expiresAtMs > now) {
      return unexpired(cached.principal);
    }
    long revocationsBefore = revocations.get();
    String client = proxies.clientAddress(
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.getHeader("Forwarded"), request.getHeader("X-Forwarded-For"));
    return tokens.request(credential, client)
        .compose(authRequest -> Bus.request(vertx, Endpoints.AUTH_AUTHENTICATE, authRequest))
        .compose(principal -> {
          if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
          }
          // Never past the credential's own expiry: an expired token must be refused, not served from cache.
          long until = principal.expiresAtMs() > 0
              ? Math.min(now + CACHE_MS, principal.expiresAtMs()) : now + CACHE_MS;
          if (revocations.get() == revocationsBefore) {
            cache.put(cacheKey, new Cached(principal, until));
          }
          return unexpired(principal);
        });
  }

  /** Drops every cached principal, so the next request of each credential is asked of admin again. */
  public void forgetAll() {
    cache.clear();
  }

  private void forget(CredentialsRevoked revoked) {
    revocations.incrementAndGet();
    cache.values().removeIf(cached -> cached.principal.accountId().equals(revoked.accountId()));
  }

  private static Future<Principal> unexpired(Principal principal) {
    return principal.expiredAt(System.currentTimeMillis())
        ? Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED, "credential expired"))
        : Future.succeededFuture(principal);
  }

  private record Cached(Principal principal, long expiresAtMs) {
  }
}
