package io.ferry.admin.core;

import io.ferry.admin.model.ApiKey;
import io.ferry.admin.store.AccountRecords;
import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.JwtVerifier;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.TokenClaims;
import io.ferry.contracts.auth.TokenRefusal;
import io.ferry.contracts.auth.TokenVerifier;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Turns an {@link AuthRequest} into a {@link Principal}, trying in order: the configured Sonya service token
 * (the default account, Sonya scope) and an API key (its account, status and scopes), both by the
 * credential's hash, then the claims of a JWT the requesting service verified ({@link TokenVerifier}: from
 * the user's identity provider, or a generate_jwt token for one queue and id), whose account must exist. A
 * JWT the service refused is refused with the reason it gave. Repeated failures of one credential from one
 * client address are throttled (whatever kind of credential failed, wherever it was refused); a credential
 * that has not failed is never refused for the failures of others, so clients behind one proxy or NAT address
 * do not lock each other out. In {@code OPEN} mode every request is the default account's root.
 */
public final class Authenticator {

  public static final int MAX_FAILURES = 20;
  public static final long FAILURE_WINDOW_MS = 60_000;
  private static final List<String> ALL_SCOPES = List.of("*");
  private static final String UNKNOWN_CLIENT = "unknown";

  private final AccountRecords accounts;
  private final AuthConfig.Mode mode;
  private final Principal openPrincipal;
  private final byte[] serviceTokenHash;
  private final Principal servicePrincipal;
  private final TokenVerifier tokens;
  // The account Sonya-format tokens act for (the service token's), or null when they are not accepted here.
  private final String serviceSignedAccount;
  private final FailureThrottle throttle;

  public Authenticator(AccountRecords accounts, AuthConfig config, String defaultAccountId, SonyaTokens sonyaTokens,
      JwtVerifier userTokens, FailureThrottle throttle) {
    this.accounts = accounts;
    this.mode = config.mode();
    this.openPrincipal = new Principal(defaultAccountId, "open-mode", ALL_SCOPES, true);
    this.serviceTokenHash = config.sonyaServiceToken() == null ? null
        : Secrets.hashKey(config.sonyaServiceToken()).getBytes(StandardCharsets.UTF_8);
    this.servicePrincipal = new Principal(defaultAccountId, "sonya-service-token", List.of(Principal.SONYA), false);
    this.tokens = TokenVerifier.of(userTokens, sonyaTokens.verifier(),
        sonyaTokens.acceptsServiceSigned() ? config.sonyaServiceToken() : null);
    this.serviceSignedAccount = sonyaTokens.acceptsServiceSigned() ? defaultAccountId : null;
    this.throttle = throttle;
  }

  /** Without JWTs from an identity provider: API keys, the service token and Sonya tokens only. */
  public Authenticator(AccountRecords accounts, AuthConfig config, String defaultAccountId, SonyaTokens sonyaTokens,
      FailureThrottle throttle) {
    this(accounts, config, defaultAccountId, sonyaTokens, JwtVerifier.disabled(), throttle);
  }

  public Future<Principal> authenticate(AuthRequest request) {
    if (mode == AuthConfig.Mode.OPEN) {
      return Future.succeededFuture(openPrincipal);
    }
    if (request.credential() != null) {
      // Handed the credential as presented (admin's own callers): verify it here as any service would.
      return tokens.request(request.credential(), request.clientAddress()).compose(this::resolve);
    }
    return resolve(request);
  }

  // Keys first, by hash: a configured key may be any string, even one shaped like a JWT. Then the claims of
  // a JWT the requesting service verified, or the reason it refused it.
  private Future<Principal> resolve(AuthRequest request) {
    String client = throttleKey(request);
    if (throttle.isThrottled(client)) {
      return Future.failedFuture(new FerryException(ErrorCode.TOO_MANY_REQUESTS,
          "too many failed authentication attempts from this client; try again in a minute"));
    }
    String hash = request.keyHash();
    if (hash == null) {
      throttle.recordFailure(client);
      return Future.failedFuture(refused(
          "an API key is required: send Authorization: Bearer <key> or X-API-KEY: <key>"));
    }
    // Constant time: how much of a guess matches must not show in the answer's timing.
    if (serviceTokenHash != null && MessageDigest.isEqual(serviceTokenHash, hash.getBytes(StandardCharsets.UTF_8))) {
      return Future.succeededFuture(servicePrincipal);
    }
    Future<Principal> answer = accounts.apiKeyByHash(hash).compose(key -> {
      if (key != null) {
        return apiKey(key);
      }
      if (request.token() != null) {
        return tokenPrincipal(request.token());
      }
      return Future.failedFuture(refused(request.refusal() != null ? request.refusal() : "the API key is not valid"));
    });
    return countFailure(answer, client);
  }

  private Future<Principal> countFailure(Future<Principal> answer, String client) {
    return answer.onFailure(failure -> {
      if (failure instanceof FerryException refused && refused.code() == ErrorCode.UNAUTHENTICATED) {
        throttle.recordFailure(client);
      }
    });
  }

  // The address and a short hash of what was presented: guesses are throttled per credential tried, and a
  // valid credential, never recorded as a failure, is never throttled.
  private static String throttleKey(AuthRequest request) {
    String client = request.clientAddress() == null ? UNKNOWN_CLIENT : request.clientAddress();
    if (request.keyHash() == null) {
      return client + " -";
    }
    return client + " " + request.keyHash().substring(0, Math.min(16, request.keyHash().length()));
  }

  private static Future<Principal> apiKey(ApiKey key) {
    if (!key.enabled()) {
      return Future.failedFuture(refused("the API key is disabled"));
    }
    return Future.succeededFuture(new Principal(key.accountId(), key.id(), key.scopes(), key.root()));
  }

  private Future<Principal> tokenPrincipal(TokenClaims token) {
    if (token.kind() != TokenClaims.Kind.SONYA_SERVICE_SIGNED) {
      return withExistingAccount(token.accountId(), token.principal());
    }
    // A service verified it with its own copy of the service token; only this admin's settings say whether
    // such tokens are accepted at all.
    return serviceSignedAccount == null ? Future.failedFuture(refused(TokenRefusal.INVALID_TOKEN))
        : withExistingAccount(serviceSignedAccount, token.principalIn(serviceSignedAccount));
  }

  private Future<Principal> withExistingAccount(String accountId, Principal principal) {
    return accounts.account(accountId).compose(account -> account != null ? Future.succeededFuture(principal)
        : Future.failedFuture(refused("the token is not valid: its account does not exist")));
  }

  private static FerryException refused(String message) {
    return new FerryException(ErrorCode.UNAUTHENTICATED, message);
  }
}
