package io.ferry.admin.api;

import io.ferry.admin.core.ListenerChanges;
import io.ferry.admin.core.ListenerService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** discue webhook-listener routes under {@code /v1}: listeners of the caller's queues, scope {@code listeners}. */
public final class DiscueListenerRoutes {

  /** Most message ids one redeliver request may name. */
  static final int MAX_REDELIVER_IDS = 1_000;

  private final ListenerService listeners;

  public DiscueListenerRoutes(ListenerService listeners) {
    this.listeners = listeners;
  }

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
    String queueId = PathParams.discueQueueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = RequestBody.requiredString(body, "name", "name");
    String notifyUrl = RequestBody.requiredString(body, "notify_url", "notify_url");
    String livenessUrl = RequestBody.requiredString(body, "liveness_url", "liveness_url");
    listeners.create(caller, queueId, name, notifyUrl, livenessUrl)
        .onSuccess(listener -> DialectResponses.discue(ctx, 200, DiscueListenerJson.withSecret(listener)))
        .onFailure(ctx::fail);
  }

  private void listOfQueue(RoutingContext ctx) {
    String queueId = PathParams.discueQueueId(ctx);
    listeners.ofQueue(Authentication.requirePrincipal(ctx), queueId)
        .onSuccess(list -> DialectResponses.discue(ctx, 200,
            DiscueListenerJson.listeners(list, "/v1/queues/" + queueId + "/listeners")))
        .onFailure(ctx::fail);
  }

  private void listOfAccount(RoutingContext ctx) {
    listeners.ofAccount(Authentication.requirePrincipal(ctx))
        .onSuccess(list -> DialectResponses.discue(ctx, 200, DiscueListenerJson.listeners(list, "/v1/listeners")))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    listeners.get(Authentication.requirePrincipal(ctx), PathParams.discueQueueId(ctx), listenerId(ctx))
        .onSuccess(view -> DialectResponses.discue(ctx, 200, DiscueListenerJson.wrapped(view)))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    String queueId = PathParams.discueQueueId(ctx);
    String listenerId = listenerId(ctx);
    JsonObject body = RequestBody.object(ctx);
    ListenerChanges changes = new ListenerChanges(RequestBody.optionalString(body, "name", "name"),
        RequestBody.optionalString(body, "notify_url", "notify_url"),
        RequestBody.optionalString(body, "liveness_url", "liveness_url"), enabled(body));
    listeners.update(caller, queueId, listenerId, changes)
        .onSuccess(view -> DialectResponses.discue(ctx, 200, DiscueListenerJson.wrapped(view)))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    listeners.delete(Authentication.requirePrincipal(ctx), PathParams.discueQueueId(ctx), listenerId(ctx))
        .onSuccess(listener -> DialectResponses.discue(ctx, 200, DiscueListenerJson.deleted(listener)))
        .onFailure(ctx::fail);
  }

  private void rotateSecret(RoutingContext ctx) {
    listeners.rotateSecret(Authentication.requirePrincipal(ctx), PathParams.discueQueueId(ctx), listenerId(ctx))
        .onSuccess(listener -> DialectResponses.discue(ctx, 200, DiscueListenerJson.withSecret(listener)))
        .onFailure(ctx::fail);
  }

  private void redeliver(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    String queueId = PathParams.discueQueueId(ctx);
    String listenerId = listenerId(ctx);
    // Redelivering everything needs no body at all.
    List<String> messageIds = messageIds(RequestBody.objectOrEmpty(ctx));
    listeners.redeliver(caller, queueId, listenerId, messageIds)
        .onSuccess(count -> DialectResponses.discue(ctx, 200, DiscueListenerJson.redelivered(count)))
        .onFailure(ctx::fail);
  }

  private static String listenerId(RoutingContext ctx) {
    return PathParams.discueId(ctx, "listener_id", "listener");
  }

  // "status" is Ferry's extension: it lets a user re-enable a listener that a 410 Gone disabled.
  private static Boolean enabled(JsonObject body) {
    Object status = body.getValue("status");
    if (status == null) {
      return null;
    }
    if ("enabled".equals(status)) {
      return true;
    }
    if ("disabled".equals(status)) {
      return false;
    }
    throw FerryException.invalidField("status", "must be \"enabled\" or \"disabled\"");
  }

  private static List<String> messageIds(JsonObject body) {
    Object value = body.getValue("ids");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw FerryException.invalidField("ids", "must be an array of message ids");
    }
    if (array.isEmpty() || array.size() > MAX_REDELIVER_IDS) {
      throw FerryException.invalidField("ids", "must hold 1 to " + MAX_REDELIVER_IDS
          + " message ids; leave it out to redeliver every missed message");
    }
    List<String> ids = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String id) || !Ids.isValid(id)) {
        throw FerryException.invalidField("ids[" + i + "]",
            "must be a message id (32 lowercase hexadecimal characters)");
      }
      ids.add(id);
    }
    return ids;
  }
}
