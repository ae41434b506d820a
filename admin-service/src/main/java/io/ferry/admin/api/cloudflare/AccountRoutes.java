package io.ferry.admin.api.cloudflare;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.AccountService;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

// Cloudflare's account list: any valid credential may discover its own account.
final class AccountRoutes implements Routes {

  private static final int DEFAULT_PER_PAGE = 20;

  private final AccountService accounts;

  AccountRoutes(AccountService accounts) {
    this.accounts = accounts;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    for (String prefix : CloudflarePaths.PREFIXES) {
      router.get(prefix).handler(authentication).handler(Authorization.authenticated()).handler(this::list);
    }
  }

  // The SDK pages through accounts until a page is empty, so this list must be paged like the others.
  private void list(RoutingContext ctx) {
    int page = Pages.page(ctx);
    int perPage = Pages.perPage(ctx, DEFAULT_PER_PAGE);
    accounts.visibleTo(Authentication.requirePrincipal(ctx))
        .onSuccess(all -> {
          JsonArray items = new JsonArray();
          Pages.slice(all, page, perPage).forEach(account -> items.add(AccountJson.account(account)));
          DialectResponses.cloudflarePage(ctx, items, page, perPage, all.size());
        })
        .onFailure(ctx::fail);
  }
}
