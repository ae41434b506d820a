package io.ferry.admin.api;

import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.SonyaService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.vertx.core.Handler;
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

  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> auth = Authorization.require(Resource.SONYA, Access.WRITE);
    router.post("/queue/create/:queue").handler(authentication).handler(auth).handler(this::createQueue);
    router.post("/queue/close/:queue").handler(authentication).handler(auth).handler(this::closeQueue);
    router.post("/queue/delete/:queue/:id").handler(authentication).handler(auth).handler(this::deleteId);
    router.post("/queue/generate_jwt/:queue/:id").handler(authentication).handler(auth).handler(this::generateToken);
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
    Principal caller = Authentication.requirePrincipal(ctx);
    caller.check(Resource.SONYA, Access.WRITE, ctx.pathParam("queue"));
    return caller.accountId();
  }
}
