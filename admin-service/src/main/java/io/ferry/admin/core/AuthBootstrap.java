package io.ferry.admin.core;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.store.AccountRecords;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Secure by default: makes sure the {@code default} account exists and has a root key, either the
 * configured {@code auth.bootstrap-key} (then the only root key: earlier ones are revoked) or one generated
 * now and shown exactly once.
 */
public final class AuthBootstrap {

  public static final String DEFAULT_ACCOUNT = "default";
  private static final String CONFIGURED_KEY_LINE =
      "bootstrap admin key: the configured one (auth.bootstrap-key / FERRY_AUTH_BOOTSTRAP_KEY)";

  /** The default account and the lines the process prints at start. */
  public record Result(String defaultAccountId, List<String> banner) {
    public Result {
      banner = List.copyOf(banner);
    }
  }

  private final AccountRecords accounts;
  private final AuthConfig config;
  private final CredentialRevocations revocations;

  public AuthBootstrap(AccountRecords accounts, AuthConfig config, CredentialRevocations revocations) {
    this.accounts = accounts;
    this.config = config;
    this.revocations = revocations;
  }

  public Future<Result> run() {
    return accounts.accountByName(DEFAULT_ACCOUNT).compose(existing -> existing != null
        ? rootKey(existing).map(line -> new Bootstrapped(existing, line))
        : createDefaultAccount()).map(bootstrapped -> {
      Account account = bootstrapped.account();
      String keyLine = bootstrapped.keyLine();
      List<String> banner = new ArrayList<>();
      banner.add("default account id: " + account.id());
      banner.add(keyLine);
      banner.add("authenticate with the header 'Authorization: Bearer <key>' or 'X-API-KEY: <key>' "
          + "(WebSocket clients: ?access_token=<key>)");
      if (config.mode() == AuthConfig.Mode.OPEN) {
        banner.add("auth mode OPEN: credentials are not checked; every request acts as the default "
            + "account's root. Never expose this process.");
      }
      return new Result(account.id(), banner);
    });
  }

  private record Bootstrapped(Account account, String keyLine) {
  }

  // The account and its first root key in one write: several admin instances starting together on one empty
  // database all try, exactly one wins, and the others continue with the winner's account and key.
  private Future<Bootstrapped> createDefaultAccount() {
    Account created = new Account(Ids.newId(), DEFAULT_ACCOUNT, System.currentTimeMillis());
    String configured = config.bootstrapKey();
    String key = configured != null ? configured : Secrets.newApiKey();
    ApiKey root = rootKey(created, configured != null ? "bootstrap (configured)" : "bootstrap", Secrets.hashKey(key));
    return accounts.insertAccountWithKey(created, root)
        .map(v -> new Bootstrapped(created, configured != null ? CONFIGURED_KEY_LINE
            : "bootstrap admin key (shown once, stored only as a hash; keep it now): " + key))
        .recover(failure -> isNameTaken(failure)
            ? accounts.accountByName(DEFAULT_ACCOUNT).compose(winner -> rootKey(winner)
                .map(line -> new Bootstrapped(winner, line)))
            : Future.failedFuture(failure));
  }

  private static boolean isNameTaken(Throwable failure) {
    return FerryException.from(failure).code() == ErrorCode.NAME_TAKEN;
  }

  // Admin instances starting together on one empty database race to create the same records; the store lets
  // one win, and the others go on with what it created.
  private static <T> Future<T> wonByAnother(Throwable failure, Future<T> reread) {
    return reread.transform(ar -> ar.succeeded() && ar.result() != null
        ? Future.succeededFuture(ar.result()) : Future.failedFuture(failure));
  }

  private Future<String> rootKey(Account account) {
    String configured = config.bootstrapKey();
    if (configured != null) {
      String hash = Secrets.hashKey(configured);
      return accounts.apiKeyByHash(hash)
          .compose(existing -> existing != null ? Future.succeededFuture()
              : accounts.insertApiKey(rootKey(account, "bootstrap (configured)", hash))
                  .recover(failure -> wonByAnother(failure, accounts.apiKeyByHash(hash)).mapEmpty()))
          .compose(v -> revokeOtherRootKeys(account, hash))
          .map(revoked -> CONFIGURED_KEY_LINE
              + (revoked == 0 ? "" : "; " + revoked + " earlier root key(s) revoked"));
    }
    return accounts.apiKeys(account.id()).compose(keys -> {
      if (keys.stream().anyMatch(ApiKey::root)) {
        return Future.succeededFuture("bootstrap admin key: it was shown once at first start and is stored "
            + "only as a hash (set FERRY_AUTH_BOOTSTRAP_KEY to choose one)");
      }
      String key = Secrets.newApiKey();
      return accounts.insertApiKey(rootKey(account, "bootstrap", Secrets.hashKey(key)))
          .map("bootstrap admin key (shown once, stored only as a hash; keep it now): " + key);
    });
  }

  // The configured key is the root key: one configured before it (changed because it leaked, say) or the one
  // generated at first start must not stay valid forever beside it. Other keys of the account are untouched.
  // Services already running (another admin instance's, say) hold the earlier keys' principals in their
  // caches until told.
  private Future<Integer> revokeOtherRootKeys(Account account, String configuredHash) {
    return accounts.apiKeys(account.id()).compose(keys -> {
      List<ApiKey> earlier = keys.stream().filter(k -> k.root() && !k.keyHash().equals(configuredHash)).toList();
      Future<Void> deleted = Future.succeededFuture();
      for (ApiKey key : earlier) {
        deleted = deleted.compose(v -> accounts.deleteApiKey(key.id()));
      }
      return deleted.map(v -> {
        if (!earlier.isEmpty()) {
          revocations.revoked(account.id());
        }
        return earlier.size();
      });
    });
  }

  private static ApiKey rootKey(Account account, String name, String hash) {
    return new ApiKey(Ids.newId(), account.id(), name, hash, true, System.currentTimeMillis());
  }
}
