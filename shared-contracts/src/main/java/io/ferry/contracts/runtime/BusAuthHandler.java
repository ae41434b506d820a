package io.ferry.contracts.runtime;

import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.TokenVerifier;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.config.TokenConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.net.TrustedProxies;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates a request and puts the {@link Principal} on the routing context. The credential is read
 * from {@code Authorization: Bearer}, {@code X-API-KEY}, or {@code ?access_token=} on the listen routes only
 * (browsers cannot set headers on a WebSocket; anywhere else a key in the URL would end up in access logs).
 * A JWT is verified here ({@link TokenVerifier}); admin-service, which owns accounts, keys and the
 * failed-authentication throttle, is then asked with the credential's hash and the token's verified claims
 * (or why it was refused), never the credential itself. Successful answers are cached for a few seconds so
 * that the hot paths do not cross the bus on every request; a revoked key therefore works for at most that
 * long.
 */
public final class BusAuthHandler implements Handler<RoutingContext> {

  static final long CACHE_MS = 5_000;
  private static final int CACHE_LIMIT = 10_000;
  private static final String PRINCIPAL_KEY = "ferry.principal";
  private static final String TRUSTED_PROXIES = "ferry.trusted-proxies";
  private static final String TOKEN_VERIFIER = "ferry.token-verifier";

  private final Vertx vertx;
  private final String requiredScope;
  private final String resource;
  private final String access;
  // One cache per handler instance (one per event loop), so lookups never contend across threads much.
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final TrustedProxies proxies;
  private final TokenVerifier tokens;

  private BusAuthHandler(Vertx vertx, String requiredScope, String resource, String access) {
    this.vertx = vertx;
    this.proxies = trustedProxies(vertx);
    this.tokens = tokenVerifier(vertx);
    this.requiredScope = requiredScope;
    this.resource = resource;
    this.access = access;
  }

  /**
   * For the management routes (Cloudflare, discue): the principal must have every scope. Finer
   * per-resource scopes replace this when API-key scopes land.
   */
  public static BusAuthHandler create(Vertx vertx) {
    return new BusAuthHandler(vertx, Principal.ALL, null, null);
  }

  /**
   * The principal must hold a {@link io.ferry.contracts.auth.Scope} granting {@code access} to
   * {@code resource} on at least one target (else 403). The route still checks the target itself once it
   * knows the queue ({@link Principal#allows(String, String, String...)}).
   */
  public static BusAuthHandler create(Vertx vertx, String resource, String access) {
    return new BusAuthHandler(vertx, null, resource, access);
  }

  /**
   * The principal must allow {@code scope}; with {@code null} any authenticated principal passes and the
   * route checks what it needs itself.
   */
  public static BusAuthHandler create(Vertx vertx, String scope) {
    return new BusAuthHandler(vertx, scope, null, null);
  }

  /** Which proxies the handlers of this Vert.x instance believe about the client's address. */
  public static void trustProxies(Vertx vertx, TrustedProxies proxies) {
    vertx.sharedData().<String, TrustedProxies>getLocalMap(TRUSTED_PROXIES).put(TRUSTED_PROXIES, proxies);
  }

  private static TrustedProxies trustedProxies(Vertx vertx) {
    TrustedProxies proxies = vertx.sharedData().<String, TrustedProxies>getLocalMap(TRUSTED_PROXIES)
        .get(TRUSTED_PROXIES);
    return proxies == null ? TrustedProxies.none() : proxies;
  }

  /** How the handlers of this Vert.x instance verify JWTs (the process's {@code auth.jwt.*} and secret). */
  public static void verifyTokens(Vertx vertx, TokenVerifier verifier) {
    vertx.sharedData().<String, TokenVerifier>getLocalMap(TOKEN_VERIFIER).put(TOKEN_VERIFIER, verifier);
  }

  // Without one set up: no identity-provider keys, and admin's generate_jwt secret asked of admin.
  private static TokenVerifier tokenVerifier(Vertx vertx) {
    return vertx.sharedData().<String, TokenVerifier>getLocalMap(TOKEN_VERIFIER)
        .computeIfAbsent(TOKEN_VERIFIER, key -> TokenVerifier.create(vertx, TokenConfig.none()));
  }

  /** The principal an earlier {@code BusAuthHandler} put on this request. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL_KEY);
  }

  /**
   * The credential a request presents, or {@code null}. {@code ?access_token=} counts only on the Sonya
   * listen routes (WebSocket and long-poll), whose browser clients cannot set headers; anywhere else it is
   * refused with 401 rather than ignored, so that a key put in a URL (and so in access logs and proxies'
   * URLs) is noticed and moved to a header.
   */
  public static String credential(HttpServerRequest request) {
    String queryToken = request.getParam("access_token");
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
    String credential = credential(ctx.request());
    String cacheKey = credential == null ? "" : credential;
    long now = System.currentTimeMillis();
    Cached cached = cache.get(cacheKey);
    if (cached != null && cached.expiresAtMs > now) {
      admit(ctx, cached.principal);
      return;
    }
    HttpServerRequest request = ctx.request();
    String client = proxies.clientAddress(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.getHeader("Forwarded"), request.getHeader("X-Forwarded-For"));
    tokens.request(credential, client)
        .compose(authRequest -> Bus.<Principal>request(vertx, Addresses.AUTH_AUTHENTICATE, authRequest))
        .onSuccess(principal -> {
          if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
          }
          // Never past the credential's own expiry: an expired token must be refused, not served from cache.
          long until = principal.expiresAtMs() > 0
              ? Math.min(now + CACHE_MS, principal.expiresAtMs()) : now + CACHE_MS;
          cache.put(cacheKey, new Cached(principal, until));
          admit(ctx, principal);
        })
        .onFailure(ctx::fail);
  }

  private void admit(RoutingContext ctx, Principal principal) {
    if (principal.expiredAt(System.currentTimeMillis())) {
      ctx.fail(new FerryException(ErrorCode.UNAUTHENTICATED, "credential expired"));
    } else if (requiredScope != null && !principal.allows(requiredScope)) {
      ctx.fail(new FerryException(ErrorCode.FORBIDDEN, "credential does not allow this route"));
    } else if (resource != null && !principal.allowsSome(resource, access)) {
      ctx.fail(new FerryException(ErrorCode.FORBIDDEN,
          "credential does not allow " + access + " access to " + resource));
    } else {
      ctx.put(PRINCIPAL_KEY, principal);
      ctx.next();
    }
  }

  private record Cached(Principal principal, long expiresAtMs) {
  }
}
