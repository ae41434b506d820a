package io.ferry.messaging.api.cloudflare;

import static io.ferry.messaging.api.cloudflare.QueuePaths.account;
import static io.ferry.messaging.api.cloudflare.QueuePaths.queueId;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.messaging.api.QueueGrants;
import io.ferry.messaging.core.MessagingEngine;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Cloudflare Queues queue metrics: backlog count, bytes and oldest message. */
public final class MetricsRoutes {

  private final MessagingEngine engine;

  public MetricsRoutes(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Handler<RoutingContext> authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    for (String queuePath : QueuePaths.QUEUES) {
      router.get(queuePath + "/metrics").handler(authentication).handler(read).handler(this::metrics);
    }
  }

  private void metrics(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    QueueGrants.check(ctx, Resource.QUEUES, Access.READ, account, queueId)
        .compose(v -> engine.metrics(account, queueId))
        .onSuccess(metrics -> DialectResponses.cloudflare(ctx, MessageJson.metrics(metrics)))
        .onFailure(ctx::fail);
  }
}
