package io.ferry.admin.api.discue;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.ApiKeyService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

// discue's /v1/api_keys: the keys of the caller's account, with the api_keys grant.
final class ApiKeyRoutes implements Routes {

  private final ApiKeyService keys;

  ApiKeyRoutes(ApiKeyService keys) {
    this.keys = keys;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.API_KEYS, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.API_KEYS, Access.WRITE);
    router.post("/v1/api_keys").handler(authentication).handler(write).handler(this::create);
    router.get("/v1/api_keys").handler(authentication).handler(read).handler(this::list);
    router.get("/v1/api_keys/:key_id").handler(authentication).handler(read).handler(this::get);
    router.put("/v1/api_keys/:key_id").handler(authentication).handler(write).handler(this::update);
    router.delete("/v1/api_keys/:key_id").handler(authentication).handler(write).handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = RequestBody.object(ctx);
    String name = ApiKeyJson.name(body, true);
    String status = ApiKeyJson.status(body);
    List<String> scopes = ScopeJson.parse(body.getValue("scopes"));
    keys.create(Authentication.requirePrincipal(ctx), name, status, scopes)
        .onSuccess(created -> DialectResponses.discue(ctx, 200, ApiKeyJson.created(created)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    keys.list(Authentication.requirePrincipal(ctx))
        .onSuccess(list -> DialectResponses.discue(ctx, 200, ApiKeyJson.keys(list)))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    keys.get(Authentication.requirePrincipal(ctx), keyId(ctx))
        .onSuccess(key -> DialectResponses.discue(ctx, 200, ApiKeyJson.keyDocument(key)))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    String keyId = keyId(ctx);
    JsonObject body = RequestBody.object(ctx);
    ApiKeyService.Changes changes = new ApiKeyService.Changes(ApiKeyJson.name(body, false),
        ApiKeyJson.status(body), ScopeJson.parse(body.getValue("scopes")));
    keys.update(Authentication.requirePrincipal(ctx), keyId, changes)
        .onSuccess(key -> DialectResponses.discue(ctx, 200, ApiKeyJson.keyDocument(key)))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    keys.delete(Authentication.requirePrincipal(ctx), keyId(ctx))
        .onSuccess(key -> DialectResponses.discue(ctx, 200, ApiKeyJson.deleted(key)))
        .onFailure(ctx::fail);
  }

  private static String keyId(RoutingContext ctx) {
    return DiscuePaths.id(ctx, "key_id", "api key");
  }
}
