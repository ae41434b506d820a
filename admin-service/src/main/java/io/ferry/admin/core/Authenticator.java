package io.ferry.admin.core;

import io.ferry.admin.store.AdminStore;
import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.util.List;

/**
 * Turns a presented credential into a {@link Principal}. API keys are looked up by their hash; repeated
 * failures from one client address are throttled. In {@code OPEN} mode every request is the default
 * account's root.
 */
public final class Authenticator {

  public static final int MAX_FAILURES = 20;
  public static final long FAILURE_WINDOW_MS = 60_000;
  private static final List<String> ALL_SCOPES = List.of("*");
  private static final String UNKNOWN_CLIENT = "unknown";

  private final AdminStore store;
  private final AuthConfig.Mode mode;
  private final Principal openPrincipal;
  private final FailureThrottle throttle;

  public Authenticator(AdminStore store, AuthConfig.Mode mode, String defaultAccountId, FailureThrottle throttle) {
    this.store = store;
    this.mode = mode;
    this.openPrincipal = new Principal(defaultAccountId, "open-mode", ALL_SCOPES, true);
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
    return store.apiKeyByHash(Secrets.hashKey(credential)).compose(key -> {
      if (key == null) {
        throttle.recordFailure(client);
        return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED, "the API key is not valid"));
      }
      return Future.succeededFuture(new Principal(key.accountId(), key.id(), ALL_SCOPES, key.root()));
    });
  }
}
