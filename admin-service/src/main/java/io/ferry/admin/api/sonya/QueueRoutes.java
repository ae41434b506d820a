package io.ferry.admin.api.sonya;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.SonyaService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

// Sonya's queue administration, with the Sonya grant (service token or full key): create (idempotent, default
// settings), close (idempotent: a missing queue answers 200 {"success":false}) and delete an id's messages.
final class QueueRoutes implements Routes {

  private static final JsonObject SUCCESS = new JsonObject().put("success", true);

  private final QueueService queues;
  private final SonyaService sonya;

  QueueRoutes(QueueService queues, SonyaService sonya) {
    this.queues = queues;
    this.sonya = sonya;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> sonyaWrite = Authorization.require(Resource.SONYA, Access.WRITE);
    router.post("/queue/create/:queue").handler(authentication).handler(sonyaWrite).handler(this::create);
    router.post("/queue/close/:queue").handler(authentication).handler(sonyaWrite).handler(this::close);
    router.post("/queue/delete/:queue/:id").handler(authentication).handler(sonyaWrite).handler(this::deleteId);
  }

  private void create(RoutingContext ctx) {
    String name = QueueNames.require("queue", ctx.pathParam("queue"));
    queues.ensure(SonyaGrants.account(ctx), name)
        .onSuccess(queue -> DialectResponses.sonya(ctx, 201, SUCCESS))
        .onFailure(ctx::fail);
  }

  private void close(RoutingContext ctx) {
    sonya.close(SonyaGrants.account(ctx), ctx.pathParam("queue"))
        .onSuccess(existed -> DialectResponses.sonya(ctx, 200, new JsonObject().put("success", existed)))
        .onFailure(ctx::fail);
  }

  private void deleteId(RoutingContext ctx) {
    sonya.deleteId(SonyaGrants.account(ctx), ctx.pathParam("queue"), ctx.pathParam("id"))
        .onSuccess(v -> DialectResponses.sonya(ctx, 200, SUCCESS))
        .onFailure(ctx::fail);
  }
}
