package io.ferry.admin.api.discue;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.AccountService;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

// discue's /v1/api_clients, Ferry's accounts: any valid credential sees its own account; creating one is for
// root keys, and a root key sees all (both checked by the service).
final class ApiClientRoutes implements Routes {

  private final AccountService accounts;

  ApiClientRoutes(AccountService accounts) {
    this.accounts = accounts;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> anyone = Authorization.authenticated();
    router.post("/v1/api_clients").handler(authentication).handler(anyone).handler(this::create);
    router.get("/v1/api_clients").handler(authentication).handler(anyone).handler(this::list);
    router.get("/v1/api_clients/:client_id").handler(authentication).handler(anyone).handler(this::get);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = RequestBody.object(ctx);
    String name = RequestBody.requiredString(body, "name", "name");
    accounts.create(Authentication.requirePrincipal(ctx), name)
        .onSuccess(created -> DialectResponses.discue(ctx, 200, ApiClientJson.created(created)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    accounts.visibleTo(Authentication.requirePrincipal(ctx))
        .onSuccess(list -> DialectResponses.discue(ctx, 200, ApiClientJson.clients(list)))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String clientId = DiscuePaths.id(ctx, "client_id", "api client");
    accounts.get(Authentication.requirePrincipal(ctx), clientId)
        .onSuccess(account -> DialectResponses.discue(ctx, 200, ApiClientJson.clientDocument(account)))
        .onFailure(ctx::fail);
  }
}
