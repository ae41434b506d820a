package io.ferry.admin.core;

import io.ferry.admin.store.AdminStore;
import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Turns a presented credential into a {@link Principal}: the configured Sonya service token (the default
 * account, Sonya scope), a Sonya token from generate_jwt (one queue and id, until it expires), or an API key
 * looked up by its hash. Repeated failures from one client address are throttled, whatever kind of
 * credential failed. In {@code OPEN} mode every request is the default account's root.
 */
public final class Authenticator {

  public static final int MAX_FAILURES = 20;
  public static final long FAILURE_WINDOW_MS = 60_000;
  private static final List<String> ALL_SCOPES = List.of("*");
  private static final String UNKNOWN_CLIENT = "unknown";

  private final AdminStore store;
  private final AuthConfig.Mode mode;
  private final Principal openPrincipal;
  private final byte[] serviceToken;
  private final Principal servicePrincipal;
  private final SonyaTokens sonyaTokens;
  private final FailureThrottle throttle;

  public Authenticator(AdminStore store, AuthConfig config, String defaultAccountId, SonyaTokens sonyaTokens,
      FailureThrottle throttle) {
    this.store = store;
    this.mode = config.mode();
    this.openPrincipal = new Principal(defaultAccountId, "open-mode", ALL_SCOPES, true);
    this.serviceToken = config.sonyaServiceToken() == null ? null
        : config.sonyaServiceToken().getBytes(StandardCharsets.UTF_8);
    this.servicePrincipal = new Principal(defaultAccountId, "sonya-service-token", List.of(Principal.SONYA), false);
    this.sonyaTokens = sonyaTokens;
    this.throttle = throttle;
  }

  public Future<Principal> authenticate(AuthRequest request) {
    if (mode == AuthConfig.Mode.OPEN) {
      return Future.succeededFuture(openPrincipal);
    }
    String client = request.clientAddress() == null ? UNKNOWN_CLIENT : request.clientAddress();
    if (throttle.isThrottled(client)) {
      return Future.failedFuture(new FerryException(ErrorCode.TOO_MANY_REQUESTS,
          "too many failed authentication attempts from this client; try again in a minute"));
    }
    String credential = request.credential();
    if (credential == null || credential.isBlank()) {
      throttle.recordFailure(client);
      return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
          "an API key is required: send Authorization: Bearer <key> or X-API-KEY: <key>"));
    }
    if (isServiceToken(credential)) {
      return Future.succeededFuture(servicePrincipal);
    }
    return apiKeyOrToken(credential).onFailure(failure -> {
      if (failure instanceof FerryException refused && refused.code() == ErrorCode.UNAUTHENTICATED) {
        throttle.recordFailure(client);
      }
    });
  }

  private boolean isServiceToken(String credential) {
    // Constant time: how much of a guess matches must not show in the answer's timing.
    return serviceToken != null && MessageDigest.isEqual(serviceToken, credential.getBytes(StandardCharsets.UTF_8));
  }

  // Keys first: a configured key may be any string, even one shaped like a JWT.
  private Future<Principal> apiKeyOrToken(String credential) {
    return store.apiKeyByHash(Secrets.hashKey(credential)).compose(key -> {
      if (key != null) {
        return Future.succeededFuture(new Principal(key.accountId(), key.id(), ALL_SCOPES, key.root()));
      }
      return SonyaTokens.looksLikeJwt(credential) ? sonyaToken(credential)
          : Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED, "the API key is not valid"));
    });
  }

  private Future<Principal> sonyaToken(String token) {
    return sonyaTokens.verify(token).compose(principal -> store.account(principal.accountId())
        .compose(account -> account != null ? Future.succeededFuture(principal)
            : Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
                "the token is not valid: its account does not exist"))));
  }
}
