package io.ferry.admin.api.discue;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.ListenerChanges;
import io.ferry.admin.core.ListenerService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
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

// discue webhook listeners of the caller's queues, with the listeners grant: create, list (of a queue or of the
// account), and one listener's GET, PUT, DELETE, secret rotation and redelivery of missed messages.
final class ListenerRoutes implements Routes {

  private final ListenerService listeners;

  ListenerRoutes(ListenerService listeners) {
    this.listeners = listeners;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.LISTENERS, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.LISTENERS, Access.WRITE);
    String one = "/v1/queues/:queue_id/listeners/:listener_id";
    router.post("/v1/queues/:queue_id/listeners").handler(authentication).handler(write).handler(this::create);
    router.get("/v1/queues/:queue_id/listeners").handler(authentication).handler(read).handler(this::listOfQueue);
    router.get("/v1/listeners").handler(authentication).handler(read).handler(this::listOfAccount);
    router.get(one).handler(authentication).handler(read).handler(this::get);
    router.put(one).handler(authentication).handler(write).handler(this::update);
    router.delete(one).handler(authentication).handler(write).handler(this::delete);
    router.post(one + "/secret/rotate").handler(authentication).handler(write).handler(this::rotateSecret);
    router.post(one + "/redeliver").handler(authentication).handler(write).handler(this::redeliver);
  }

  private void create(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    String queueId = DiscuePaths.queueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = RequestBody.requiredString(body, "name", "name");
    String notifyUrl = RequestBody.requiredString(body, "notify_url", "notify_url");
    String livenessUrl = RequestBody.requiredString(body, "liveness_url", "liveness_url");
    listeners.create(caller, queueId, name, notifyUrl, livenessUrl)
        .onSuccess(listener -> DialectResponses.discue(ctx, 200, ListenerJson.withSecret(listener)))
        .onFailure(ctx::fail);
  }

  private void listOfQueue(RoutingContext ctx) {
    String queueId = DiscuePaths.queueId(ctx);
    listeners.ofQueue(Authentication.requirePrincipal(ctx), queueId)
        .onSuccess(list -> DialectResponses.discue(ctx, 200,
            ListenerJson.listeners(list, "/v1/queues/" + queueId + "/listeners")))
        .onFailure(ctx::fail);
  }

  private void listOfAccount(RoutingContext ctx) {
    listeners.ofAccount(Authentication.requirePrincipal(ctx))
        .onSuccess(list -> DialectResponses.discue(ctx, 200, ListenerJson.listeners(list, "/v1/listeners")))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    listeners.get(Authentication.requirePrincipal(ctx), DiscuePaths.queueId(ctx), listenerId(ctx))
        .onSuccess(view -> DialectResponses.discue(ctx, 200, ListenerJson.wrapped(view)))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    String queueId = DiscuePaths.queueId(ctx);
    String listenerId = listenerId(ctx);
    JsonObject body = RequestBody.object(ctx);
    ListenerChanges changes = new ListenerChanges(RequestBody.optionalString(body, "name", "name"),
        RequestBody.optionalString(body, "notify_url", "notify_url"),
        RequestBody.optionalString(body, "liveness_url", "liveness_url"), ListenerJson.enabled(body));
    listeners.update(caller, queueId, listenerId, changes)
        .onSuccess(view -> DialectResponses.discue(ctx, 200, ListenerJson.wrapped(view)))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    listeners.delete(Authentication.requirePrincipal(ctx), DiscuePaths.queueId(ctx), listenerId(ctx))
        .onSuccess(listener -> DialectResponses.discue(ctx, 200, ListenerJson.deleted(listener)))
        .onFailure(ctx::fail);
  }

  private void rotateSecret(RoutingContext ctx) {
    listeners.rotateSecret(Authentication.requirePrincipal(ctx), DiscuePaths.queueId(ctx), listenerId(ctx))
        .onSuccess(listener -> DialectResponses.discue(ctx, 200, ListenerJson.withSecret(listener)))
        .onFailure(ctx::fail);
  }

  private void redeliver(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    String queueId = DiscuePaths.queueId(ctx);
    String listenerId = listenerId(ctx);
    // Redelivering everything needs no body at all.
    List<String> messageIds = ListenerJson.messageIds(RequestBody.objectOrEmpty(ctx));
    listeners.redeliver(caller, queueId, listenerId, messageIds)
        .onSuccess(count -> DialectResponses.discue(ctx, 200, ListenerJson.redelivered(count)))
        .onFailure(ctx::fail);
  }

  private static String listenerId(RoutingContext ctx) {
    return DiscuePaths.id(ctx, "listener_id", "listener");
  }
}
