package io.ferry.admin.core;

import io.ferry.admin.model.ApiKey;
import io.ferry.admin.store.AccountRecords;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Scope;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Future;
import java.util.List;

/**
 * API keys of the caller's account. A key is shown once, at creation, and stored only as its hash. A key
 * never grants more than the credential that creates or changes it holds, and a caller can change or delete
 * only keys whose rights it holds itself (root keys: only a root key). Keys of other accounts are NOT_FOUND.
 */
public final class ApiKeyService {

  /** A created key and its secret, which is never available again. */
  public record Created(ApiKey key, String secret) {
  }

  /** What a change sets; {@code null} leaves that part as it is. */
  public record Changes(String name, String status, List<String> scopes) {
  }

  private final AccountRecords keys;
  private final CredentialRevocations revocations;

  public ApiKeyService(AccountRecords keys, CredentialRevocations revocations) {
    this.keys = keys;
    this.revocations = revocations;
  }

  /** A new key; without {@code scopes} it gets the caller's own, without {@code status} it is enabled. */
  public Future<Created> create(Principal caller, String name, String status, List<String> scopes) {
    requireGrant(caller, Scope.WRITE);
    List<String> granted = scopes == null ? ScopeStrings.canonical(caller.scopes()) : ScopeStrings.canonical(scopes);
    requireCovered(caller, granted);
    String secret = Secrets.newApiKey();
    ApiKey key = new ApiKey(Ids.newId(), caller.accountId(), name, Secrets.hashKey(secret), false,
        System.currentTimeMillis(), status == null ? ApiKey.ENABLED : status, granted);
    return keys.insertApiKey(key).map(new Created(key, secret));
  }

  public Future<List<ApiKey>> list(Principal caller) {
    requireGrant(caller, Scope.READ);
    return keys.apiKeys(caller.accountId());
  }

  public Future<ApiKey> get(Principal caller, String keyId) {
    requireGrant(caller, Scope.READ);
    return own(caller, keyId);
  }

  public Future<ApiKey> update(Principal caller, String keyId, Changes changes) {
    requireGrant(caller, Scope.WRITE);
    return own(caller, keyId).compose(key -> {
      requireManageable(caller, key);
      List<String> scopes = key.scopes();
      if (changes.scopes() != null) {
        if (key.root()) {
          throw FerryException.invalidField("scopes", "a root key always has every scope");
        }
        scopes = ScopeStrings.canonical(changes.scopes());
        requireCovered(caller, scopes);
      }
      ApiKey changed = key.with(changes.name() == null ? key.name() : changes.name(),
          changes.status() == null ? key.status() : changes.status(), scopes);
      // Any change may take rights away (a status, fewer scopes); a rename costs the account a re-ask only.
      return keys.updateApiKey(changed).map(v -> {
        revocations.revoked(key.accountId());
        return changed;
      });
    });
  }

  /** Deletes the key; every service refuses it once the revocation has reached it (docs/auth.md). */
  public Future<ApiKey> delete(Principal caller, String keyId) {
    requireGrant(caller, Scope.WRITE);
    return own(caller, keyId).compose(key -> {
      requireManageable(caller, key);
      return keys.deleteApiKey(key.id()).map(v -> {
        revocations.revoked(key.accountId());
        return key;
      });
    });
  }

  private Future<ApiKey> own(Principal caller, String keyId) {
    return keys.apiKey(keyId).compose(key -> key != null && caller.owns(key.accountId())
        ? Future.succeededFuture(key)
        : Future.failedFuture(new FerryException(ErrorCode.NOT_FOUND, "api key " + keyId + " not found")));
  }

  private static void requireManageable(Principal caller, ApiKey key) {
    if (key.root() && !caller.root()) {
      throw new FerryException(ErrorCode.FORBIDDEN, "only a root key can change or delete a root key");
    }
    if (!ScopeStrings.notCoveredBy(caller, key.scopes()).isEmpty()) {
      throw new FerryException(ErrorCode.FORBIDDEN,
          "the credential cannot change or delete a key that has rights it does not have itself");
    }
  }

  // API keys have no per-queue targets: only a grant for every target counts.
  private static void requireGrant(Principal caller, String access) {
    if (!caller.allows(Scope.API_KEYS, access)) {
      throw new FerryException(ErrorCode.FORBIDDEN, "the credential does not allow " + access + " access to api_keys");
    }
  }

  private static void requireCovered(Principal caller, List<String> scopes) {
    List<String> missing = ScopeStrings.notCoveredBy(caller, scopes);
    if (!missing.isEmpty()) {
      throw new FerryException(ErrorCode.FORBIDDEN,
          "a key cannot get rights its creator does not have: " + String.join(" ", missing));
    }
  }
}
