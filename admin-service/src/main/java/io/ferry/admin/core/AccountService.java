package io.ferry.admin.core;

import io.ferry.admin.store.Account;
import io.ferry.admin.store.AdminStore;
import io.ferry.contracts.auth.Principal;
import io.vertx.core.Future;
import java.util.List;

/** Accounts as callers may see them: today only their own. */
public final class AccountService {

  private final AdminStore store;

  public AccountService(AdminStore store) {
    this.store = store;
  }

  public Future<List<Account>> visibleTo(Principal principal) {
    return store.account(principal.accountId())
        .map(account -> account == null ? List.<Account>of() : List.of(account));
  }
}
