package io.ferry.admin.core;

import io.ferry.admin.model.Account;
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
 * Accounts (discue's api clients). A root key sees and creates accounts; every other credential sees only
 * its own account, and another account is NOT_FOUND, as if it did not exist.
 */
public final class AccountService {

  /** The longest account name. */
  public static final int MAX_NAME_LENGTH = 128;
  private static final List<String> EVERYTHING = List.of("*");
  private static final List<String> MANAGEMENT_RESOURCES =
      List.of(Scope.QUEUES, Scope.MESSAGES, Scope.LISTENERS, Scope.API_KEYS, Scope.EVENTS);

  /** A new account and its first key, which is never available again. */
  public record Created(Account account, String firstKey) {
  }

  private final AccountRecords accounts;

  public AccountService(AccountRecords accounts) {
    this.accounts = accounts;
  }

  public Future<List<Account>> visibleTo(Principal principal) {
    requireManagementGrant(principal);
    if (principal.root()) {
      return accounts.accounts();
    }
    return accounts.account(principal.accountId())
        .map(account -> account == null ? List.<Account>of() : List.of(account));
  }

  public Future<Account> get(Principal principal, String accountId) {
    requireManagementGrant(principal);
    return accounts.account(accountId).compose(account -> account != null
        && (principal.root() || principal.owns(account.id()))
        ? Future.succeededFuture(account)
        : Future.failedFuture(new FerryException(ErrorCode.NOT_FOUND, "api client " + accountId + " not found")));
  }

  /**
   * A new account with one key holding every right within it. The key is not root: it cannot see or create
   * other accounts. Only a root key may create accounts; names are unique (NAME_TAKEN).
   */
  public Future<Created> create(Principal caller, String name) {
    if (!caller.root()) {
      throw new FerryException(ErrorCode.FORBIDDEN, "only a root key can create api clients (accounts)");
    }
    requireName(name);
    long now = System.currentTimeMillis();
    Account account = new Account(Ids.newId(), name, now);
    String secret = Secrets.newApiKey();
    ApiKey key = new ApiKey(Ids.newId(), account.id(), "first key", Secrets.hashKey(secret), false, now,
        ApiKey.ENABLED, EVERYTHING);
    return accounts.insertAccountWithKey(account, key).map(new Created(account, secret));
  }

  // Any grant on the management resources lets a credential discover its account; Sonya-only credentials
  // (the service token, generate_jwt tokens) are for the Sonya routes alone.
  private static void requireManagementGrant(Principal principal) {
    for (String resource : MANAGEMENT_RESOURCES) {
      if (principal.allowsSome(resource, Scope.READ) || principal.allowsSome(resource, Scope.WRITE)) {
        return;
      }
    }
    throw new FerryException(ErrorCode.FORBIDDEN, "the credential does not allow access to accounts");
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw FerryException.invalidField("name", "is required");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw FerryException.invalidField("name", "has at most " + MAX_NAME_LENGTH + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw FerryException.invalidField("name", "must not contain control characters");
    }
  }
}
