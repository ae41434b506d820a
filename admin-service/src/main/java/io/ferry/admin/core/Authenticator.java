package io.ferry.admin.core;

import io.ferry.admin.store.AdminStore;
import io.ferry.admin.store.ApiKey;
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
 * Turns a presented credential into a {@link Principal}, trying in order: the configured Sonya service token
 * (the default account, Sonya scope), an API key looked up by its hash (its account, status and scopes), a
 * JWT from the user's identity provider ({@link JwtVerifier}), and a Sonya token from generate_jwt (one queue
 * and id, until it expires). Repeated failures of one credential from one client address are throttled
 * (whatever kind of credential failed); a credential that has not failed is never refused for the failures
 * of others, so clients behind one proxy or NAT address do not lock each other out. In {@code OPEN} mode every request is the default account's root.
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
  private final byte[] serviceTokenHash;
  private final Principal servicePrincipal;
  private final SonyaTokens sonyaTokens;
  private final JwtVerifier userTokens;
  private final FailureThrottle throttle;

  public Authenticator(AdminStore store, AuthConfig config, String defaultAccountId, SonyaTokens sonyaTokens,
      JwtVerifier userTokens, FailureThrottle throttle) {
    this.store = store;
    this.mode = config.mode();
    this.openPrincipal = new Principal(defaultAccountId, "open-mode", ALL_SCOPES, true);
    this.serviceToken = config.sonyaServiceToken() == null ? null
        : config.sonyaServiceToken().getBytes(StandardCharsets.UTF_8);
    this.serviceTokenHash = config.sonyaServiceToken() == null ? null
        : Secrets.hashKey(config.sonyaServiceToken()).getBytes(StandardCharsets.UTF_8);
    this.servicePrincipal = new Principal(defaultAccountId, "sonya-service-token", List.of(Principal.SONYA), false);
    this.sonyaTokens = sonyaTokens;
    this.userTokens = userTokens;
    this.throttle = throttle;
  }

  /** Without JWTs from an identity provider: API keys, the service token and Sonya tokens only. */
  public Authenticator(AdminStore store, AuthConfig config, String defaultAccountId, SonyaTokens sonyaTokens,
      FailureThrottle throttle) {
    this(store, config, defaultAccountId, sonyaTokens, JwtVerifier.disabled(), throttle);
  }

  public Future<Principal> authenticate(AuthRequest request) {
    if (mode == AuthConfig.Mode.OPEN) {
      return Future.succeededFuture(openPrincipal);
    }
    String client = throttleKey(request);
    if (throttle.isThrottled(client)) {
      return Future.failedFuture(new FerryException(ErrorCode.TOO_MANY_REQUESTS,
          "too many failed authentication attempts from this client; try again in a minute"));
    }
    String credential = request.credential();
    if (request.keyHash() != null) {
      if (serviceToken != null && MessageDigest.isEqual(serviceTokenHash, request.keyHash().getBytes(StandardCharsets.UTF_8))) {
        return Future.succeededFuture(servicePrincipal);
      }
      return countFailure(apiKeyByHash(request.keyHash()), client);
    }
    if (credential == null || credential.isBlank()) {
      throttle.recordFailure(client);
      return Future.failedFuture(refused(
          "an API key is required: send Authorization: Bearer <key> or X-API-KEY: <key>"));
    }
    if (isServiceToken(credential)) {
      return Future.succeededFuture(servicePrincipal);
    }
    Future<Principal> answer;
    try {
      answer = apiKeyOrToken(credential);
    } catch (RuntimeException unexpected) {
      answer = Future.failedFuture(unexpected);
    }
    return countFailure(answer, client);
  }

  private Future<Principal> countFailure(Future<Principal> answer, String client) {
    return answer.onFailure(failure -> {
      if (failure instanceof FerryException refused && refused.code() == ErrorCode.UNAUTHENTICATED) {
        throttle.recordFailure(client);
      }
    });
  }

  private Future<Principal> apiKeyByHash(String hash) {
    return store.apiKeyByHash(hash).compose(key -> key != null ? apiKey(key)
        : Future.failedFuture(refused("the API key is not valid")));
  }

  // The address and a short hash of what was presented: guesses are throttled per credential tried, and a
  // valid credential, never recorded as a failure, is never throttled.
  private static String throttleKey(AuthRequest request) {
    String client = request.clientAddress() == null ? UNKNOWN_CLIENT : request.clientAddress();
    String credential = request.credential();
    if (request.keyHash() != null) {
      return client + " " + request.keyHash().substring(0, Math.min(16, request.keyHash().length()));
    }
    if (credential == null || credential.isBlank()) {
      return client + " -";
    }
    return client + " " + Secrets.hashKey(credential).substring(0, 16);
  }

  private boolean isServiceToken(String credential) {
    // Constant time: how much of a guess matches must not show in the answer's timing.
    return serviceToken != null && MessageDigest.isEqual(serviceToken, credential.getBytes(StandardCharsets.UTF_8));
  }

  // Keys first: a configured key may be any string, even one shaped like a JWT.
  private Future<Principal> apiKeyOrToken(String credential) {
    return store.apiKeyByHash(Secrets.hashKey(credential)).compose(key -> {
      if (key != null) {
        return apiKey(key);
      }
      return SonyaTokens.looksLikeJwt(credential) ? token(credential)
          : Future.failedFuture(refused("the API key is not valid"));
    });
  }

  private static Future<Principal> apiKey(ApiKey key) {
    if (!key.enabled()) {
      return Future.failedFuture(refused("the API key is disabled"));
    }
    return Future.succeededFuture(new Principal(key.accountId(), key.id(), key.scopes(), key.root()));
  }

  // A user's identity-provider JWT first, then a Sonya token; when both refuse, the reason given is the one
  // of the kind the token claims to be (by its audience), so that a client learns what is wrong with it.
  private Future<Principal> token(String token) {
    if (!userTokens.enabled()) {
      return sonyaToken(token);
    }
    return userToken(token).recover(userRefusal -> sonyaToken(token).recover(sonyaRefusal ->
        Future.failedFuture(JwtVerifier.claimsAudience(token, SonyaTokens.AUDIENCE) ? sonyaRefusal : userRefusal)));
  }

  private Future<Principal> userToken(String token) {
    return userTokens.verify(token).compose(verified -> withExistingAccount(verified.accountId(),
        new Principal(verified.accountId(), verified.subject(), verified.scopes(), false, verified.expiresAtMs())));
  }

  private Future<Principal> sonyaToken(String token) {
    return sonyaTokens.verify(token).compose(principal -> withExistingAccount(principal.accountId(), principal));
  }

  private Future<Principal> withExistingAccount(String accountId, Principal principal) {
    return store.account(accountId).compose(account -> account != null ? Future.succeededFuture(principal)
        : Future.failedFuture(refused("the token is not valid: its account does not exist")));
  }

  private static FerryException refused(String message) {
    return new FerryException(ErrorCode.UNAUTHENTICATED, message);
  }
}
