package io.ferry.admin.api;

import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.runtime.BusAuthHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Sonya's queue creation, {@code POST /queue/create/:queue}: idempotent, default settings. */
public final class SonyaRoutes {

  private static final JsonObject SUCCESS = new JsonObject().put("success", true);

  private final QueueService queues;

  public SonyaRoutes(QueueService queues) {
    this.queues = queues;
  }

  public void mount(Vertx vertx, Router router) {
    router.post("/queue/create/:queue").handler(BusAuthHandler.create(vertx, Principal.SONYA)).handler(this::createQueue);
  }

  private void createQueue(RoutingContext ctx) {
    String name = QueueNames.require("queue", ctx.pathParam("queue"));
    queues.ensure(BusAuthHandler.principal(ctx).accountId(), name)
        .onSuccess(queue -> ctx.response().setStatusCode(201)
            .putHeader("Content-Type", "application/json").end(SUCCESS.encode()))
        .onFailure(ctx::fail);
  }
}
