package io.ferry.admin.api;

import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.SonyaService;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Scope;
import io.ferry.contracts.runtime.BusAuthHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Sonya's queue administration, all with the Sonya scope (service token or full key): create (idempotent,
 * default settings), close (idempotent: a missing queue answers 200 {@code {"success":false}}), delete an id's messages, and generate_jwt for one queue and id.
 */
public final class SonyaRoutes {

  private static final JsonObject SUCCESS = new JsonObject().put("success", true);

  private final QueueService queues;
  private final SonyaService sonya;

  public SonyaRoutes(QueueService queues, SonyaService sonya) {
    this.queues = queues;
    this.sonya = sonya;
  }

  public void mount(Vertx vertx, Router router) {
    BusAuthHandler auth = BusAuthHandler.create(vertx, Scope.SONYA, Scope.WRITE);
    router.post("/queue/create/:queue").handler(auth).handler(this::createQueue);
    router.post("/queue/close/:queue").handler(auth).handler(this::closeQueue);
    router.post("/queue/delete/:queue/:id").handler(auth).handler(this::deleteId);
    router.post("/queue/generate_jwt/:queue/:id").handler(auth).handler(this::generateToken);
  }

  private void createQueue(RoutingContext ctx) {
    String name = QueueNames.require("queue", ctx.pathParam("queue"));
    queues.ensure(account(ctx), name)
        .onSuccess(queue -> DialectResponses.sonya(ctx, 201, SUCCESS))
        .onFailure(ctx::fail);
  }

  private void closeQueue(RoutingContext ctx) {
    sonya.close(account(ctx), ctx.pathParam("queue"))
        .onSuccess(existed -> DialectResponses.sonya(ctx, 200, new JsonObject().put("success", existed)))
        .onFailure(ctx::fail);
  }

  private void deleteId(RoutingContext ctx) {
    sonya.deleteId(account(ctx), ctx.pathParam("queue"), ctx.pathParam("id"))
        .onSuccess(v -> DialectResponses.sonya(ctx, 200, SUCCESS))
        .onFailure(ctx::fail);
  }

  private void generateToken(RoutingContext ctx) {
    sonya.generateToken(account(ctx), ctx.pathParam("queue"), ctx.pathParam("id"))
        .onSuccess(issued -> DialectResponses.sonya(ctx, 200,
            new JsonObject().put("token", issued.token()).put("expiration", issued.expiration())))
        .onFailure(ctx::fail);
  }

  // Sonya grants target queue names; the queue of the path must be covered, whatever the queue's state.
  private static String account(RoutingContext ctx) {
    Principal caller = BusAuthHandler.principal(ctx);
    caller.check(Scope.SONYA, Scope.WRITE, ctx.pathParam("queue"));
    return caller.accountId();
  }
}
