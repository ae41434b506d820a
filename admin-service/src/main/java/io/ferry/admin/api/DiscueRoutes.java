package io.ferry.admin.api;

import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * discue admin routes under {@code /v1}: queues of the caller's account (one queue: {@link DiscueQueueRoutes};
 * listeners: {@link DiscueListenerRoutes}).
 */
public final class DiscueRoutes {

  private final QueueService queues;

  public DiscueRoutes(QueueService queues) {
    this.queues = queues;
  }

  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.QUEUES, Access.WRITE);
    router.post("/v1/queues").handler(authentication).handler(write).handler(this::createQueue);
    router.get("/v1/queues").handler(authentication).handler(read).handler(this::listQueues);
    new DiscueQueueRoutes(queues).mount(router, authentication);
  }

  private void createQueue(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = QueueNames.require("name", RequestBody.requiredString(body, "name", "name"));
    JsonObject schema = DiscueQueueRoutes.schema(body);
    caller.check(Resource.QUEUES, Access.WRITE, name);
    queues.create(caller.accountId(), name, QueueSettings.DEFAULTS, schema)
        .onSuccess(queue -> DialectResponses.discue(ctx, 200, DiscueJson.queueDocument(queue)))
        .onFailure(ctx::fail);
  }

  private void listQueues(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    queues.list(caller.accountId())
        .map(all -> QueueGrants.visible(caller, Resource.QUEUES, Access.READ, all))
        .onSuccess(list -> DialectResponses.discue(ctx, 200, DiscueJson.queues(list)))
        .onFailure(ctx::fail);
  }
}
