package io.ferry.admin.api;

import io.ferry.admin.core.AccountService;
import io.ferry.admin.core.ApiKeyService;
import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * discue's {@code /v1/api_keys} (the caller account's keys; the key itself only in the creation answer) and
 * {@code /v1/api_clients} (accounts: a root key creates them and sees all, any other credential its own).
 */
public final class DiscueKeyRoutes {

  private static final int MAX_NAME_LENGTH = 128;

  private final ApiKeyService keys;
  private final AccountService accounts;

  public DiscueKeyRoutes(ApiKeyService keys, AccountService accounts) {
    this.keys = keys;
    this.accounts = accounts;
  }

  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.API_KEYS, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.API_KEYS, Access.WRITE);
    // Any valid credential may see its own account; creating one is for root keys (checked by the service).
    Handler<RoutingContext> anyone = Authorization.authenticated();
    router.post("/v1/api_keys").handler(authentication).handler(write).handler(this::createKey);
    router.get("/v1/api_keys").handler(authentication).handler(read).handler(this::listKeys);
    router.get("/v1/api_keys/:key_id").handler(authentication).handler(read).handler(this::getKey);
    router.put("/v1/api_keys/:key_id").handler(authentication).handler(write).handler(this::updateKey);
    router.delete("/v1/api_keys/:key_id").handler(authentication).handler(write).handler(this::deleteKey);
    router.post("/v1/api_clients").handler(authentication).handler(anyone).handler(this::createClient);
    router.get("/v1/api_clients").handler(authentication).handler(anyone).handler(this::listClients);
    router.get("/v1/api_clients/:client_id").handler(authentication).handler(anyone).handler(this::getClient);
  }

  private void createKey(RoutingContext ctx) {
    JsonObject body = RequestBody.object(ctx);
    String name = name(body, true);
    String status = status(body);
    List<String> scopes = ScopeJson.parse(body.getValue("scopes"));
    keys.create(Authentication.requirePrincipal(ctx), name, status, scopes)
        .onSuccess(created -> DialectResponses.discue(ctx, 200, new JsonObject()
            .put("api_key", key(created.key()).put("key", created.secret()))
            .put("_links", self("/v1/api_keys/" + created.key().id()))))
        .onFailure(ctx::fail);
  }

  private void listKeys(RoutingContext ctx) {
    keys.list(Authentication.requirePrincipal(ctx))
        .onSuccess(list -> {
          JsonArray items = new JsonArray();
          list.forEach(key -> items.add(key(key)));
          DialectResponses.discue(ctx, 200, new JsonObject().put("api_keys", items).put("_links", self("/v1/api_keys")));
        })
        .onFailure(ctx::fail);
  }

  private void getKey(RoutingContext ctx) {
    keys.get(Authentication.requirePrincipal(ctx), PathParams.discueId(ctx, "key_id", "api key"))
        .onSuccess(key -> DialectResponses.discue(ctx, 200, keyDocument(key)))
        .onFailure(ctx::fail);
  }

  private void updateKey(RoutingContext ctx) {
    String keyId = PathParams.discueId(ctx, "key_id", "api key");
    JsonObject body = RequestBody.object(ctx);
    ApiKeyService.Changes changes = new ApiKeyService.Changes(name(body, false), status(body),
        ScopeJson.parse(body.getValue("scopes")));
    keys.update(Authentication.requirePrincipal(ctx), keyId, changes)
        .onSuccess(key -> DialectResponses.discue(ctx, 200, keyDocument(key)))
        .onFailure(ctx::fail);
  }

  private void deleteKey(RoutingContext ctx) {
    keys.delete(Authentication.requirePrincipal(ctx), PathParams.discueId(ctx, "key_id", "api key"))
        .onSuccess(key -> DialectResponses.discue(ctx, 200, new JsonObject().put("api_key", key(key))))
        .onFailure(ctx::fail);
  }

  private void createClient(RoutingContext ctx) {
    JsonObject body = RequestBody.object(ctx);
    String name = RequestBody.requiredString(body, "name", "name");
    accounts.create(Authentication.requirePrincipal(ctx), name)
        .onSuccess(created -> DialectResponses.discue(ctx, 200, new JsonObject()
            .put("api_client", client(created.account()))
            .put("api_key", created.firstKey())
            .put("_links", self("/v1/api_clients/" + created.account().id()))))
        .onFailure(ctx::fail);
  }

  private void listClients(RoutingContext ctx) {
    accounts.visibleTo(Authentication.requirePrincipal(ctx))
        .onSuccess(list -> {
          JsonArray items = new JsonArray();
          list.forEach(account -> items.add(client(account)));
          DialectResponses.discue(ctx, 200, new JsonObject().put("api_clients", items).put("_links", self("/v1/api_clients")));
        })
        .onFailure(ctx::fail);
  }

  private void getClient(RoutingContext ctx) {
    String clientId = PathParams.discueId(ctx, "client_id", "api client");
    accounts.get(Authentication.requirePrincipal(ctx), clientId)
        .onSuccess(account -> DialectResponses.discue(ctx, 200, new JsonObject().put("api_client", client(account))
            .put("_links", self("/v1/api_clients/" + account.id()))))
        .onFailure(ctx::fail);
  }

  // A key as listed: never the key itself nor its hash. discue calls the name alias and writes scopes by
  // resource; Ferry's name and its complete scope list (ferry_scopes) are kept alongside.
  private static JsonObject key(ApiKey key) {
    return new JsonObject()
        .put("id", key.id())
        .put("alias", key.name())
        .put("name", key.name())
        .put("status", key.status())
        .put("scopes", ScopeJson.renderDiscue(key.scopes()))
        .put("ferry_scopes", ScopeJson.render(key.scopes()));
  }

  private static JsonObject keyDocument(ApiKey key) {
    return new JsonObject().put("api_key", key(key)).put("_links", self("/v1/api_keys/" + key.id()));
  }

  private static JsonObject client(Account account) {
    return new JsonObject().put("id", account.id()).put("name", account.name());
  }

  // discue's field is alias; Ferry's name is accepted too (name wins when both are given).
  private static String name(JsonObject body, boolean required) {
    String alias = RequestBody.optionalString(body, "alias", "alias");
    String name = required && alias == null ? RequestBody.requiredString(body, "name", "name")
        : RequestBody.optionalString(body, "name", "name");
    name = name != null ? name : alias;
    if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH)) {
      throw FerryException.invalidField("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    return name;
  }

  private static String status(JsonObject body) {
    String status = RequestBody.optionalString(body, "status", "status");
    if (status != null && !status.equals(ApiKey.ENABLED) && !status.equals(ApiKey.DISABLED)) {
      throw FerryException.invalidField("status", "must be \"enabled\" or \"disabled\"");
    }
    return status;
  }

  private static JsonObject self(String href) {
    return new JsonObject().put("self", new JsonObject().put("href", href));
  }
}
