package io.ferry.admin.api;

import io.ferry.admin.core.ListenerService;
import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.runtime.BusAuthHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** discue admin routes under {@code /v1}: queues and webhook listeners of the caller's account. */
public final class DiscueRoutes {

  private final QueueService queues;
  private final ListenerService listeners;

  public DiscueRoutes(QueueService queues, ListenerService listeners) {
    this.queues = queues;
    this.listeners = listeners;
  }

  public void mount(Vertx vertx, Router router) {
    BusAuthHandler auth = BusAuthHandler.create(vertx);
    router.post("/v1/queues").handler(auth).handler(this::createQueue);
    router.get("/v1/queues").handler(auth).handler(this::listQueues);
    router.post("/v1/queues/:queue_id/listeners").handler(auth).handler(this::createListener);
    router.get("/v1/queues/:queue_id/listeners").handler(auth).handler(this::listQueueListeners);
    router.get("/v1/listeners").handler(auth).handler(this::listListeners);
  }

  private void createQueue(RoutingContext ctx) {
    Principal caller = BusAuthHandler.principal(ctx);
    JsonObject body = RequestBodies.object(ctx);
    String name = QueueNames.require("name", RequestBodies.string(body, "name", "name", true));
    queues.create(caller.accountId(), name, QueueSettings.DEFAULTS)
        .onSuccess(queue -> DiscueJson.send(ctx, DiscueJson.createdQueue(queue)))
        .onFailure(ctx::fail);
  }

  private void listQueues(RoutingContext ctx) {
    queues.list(BusAuthHandler.principal(ctx).accountId())
        .onSuccess(list -> DiscueJson.send(ctx, DiscueJson.queues(list)))
        .onFailure(ctx::fail);
  }

  private void createListener(RoutingContext ctx) {
    Principal caller = BusAuthHandler.principal(ctx);
    String queueId = PathParams.queueId(ctx);
    JsonObject body = RequestBodies.object(ctx);
    String name = RequestBodies.string(body, "name", "name", true);
    String notifyUrl = RequestBodies.string(body, "notify_url", "notify_url", true);
    String livenessUrl = RequestBodies.string(body, "liveness_url", "liveness_url", true);
    listeners.create(caller.accountId(), queueId, name, notifyUrl, livenessUrl)
        .onSuccess(listener -> DiscueJson.send(ctx, DiscueJson.createdListener(listener)))
        .onFailure(ctx::fail);
  }

  private void listQueueListeners(RoutingContext ctx) {
    listeners.ofQueue(BusAuthHandler.principal(ctx).accountId(), PathParams.queueId(ctx))
        .onSuccess(list -> DiscueJson.send(ctx, DiscueJson.listeners(list)))
        .onFailure(ctx::fail);
  }

  private void listListeners(RoutingContext ctx) {
    listeners.ofAccount(BusAuthHandler.principal(ctx).accountId())
        .onSuccess(list -> DiscueJson.send(ctx, DiscueJson.listeners(list)))
        .onFailure(ctx::fail);
  }
}
