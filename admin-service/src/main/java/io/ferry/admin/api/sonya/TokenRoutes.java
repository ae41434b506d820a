package io.ferry.admin.api.sonya;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.SonyaService;
import io.ferry.admin.core.SonyaTokens;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

// Sonya's generate_jwt: a listen token for one queue and id, with the Sonya grant; and Ferry's queue-wide
// variant (no id), which also needs Sonya read access to the queue.
final class TokenRoutes implements Routes {

  private final SonyaService sonya;

  TokenRoutes(SonyaService sonya) {
    this.sonya = sonya;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    router.post("/queue/generate_jwt/:queue/:id").handler(authentication)
        .handler(Authorization.require(Resource.SONYA, Access.WRITE)).handler(this::generate);
    router.post("/queue/generate_jwt/:queue").handler(authentication)
        .handler(Authorization.require(Resource.SONYA, Access.WRITE)).handler(this::generateForQueue);
  }

  private void generateForQueue(RoutingContext ctx) {
    respond(ctx, sonya.generateQueueToken(SonyaGrants.queueListener(ctx), ctx.pathParam("queue")));
  }

  private void generate(RoutingContext ctx) {
    respond(ctx, sonya.generateToken(SonyaGrants.account(ctx), ctx.pathParam("queue"), ctx.pathParam("id")));
  }

  private static void respond(RoutingContext ctx, Future<SonyaTokens.Issued> token) {
    token.onSuccess(issued -> DialectResponses.sonya(ctx, 200,
        new JsonObject().put("token", issued.token()).put("expiration", issued.expiration())))
        .onFailure(ctx::fail);
  }
}
