package io.ferry.messaging.api.cloudflare;

import static io.ferry.messaging.api.cloudflare.QueuePaths.account;
import static io.ferry.messaging.api.cloudflare.QueuePaths.queueId;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.ferry.messaging.api.QueueGrants;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.QueueHistory;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Cloudflare Queues queue metrics: backlog count, bytes and oldest message; and Ferry's extension
 * {@code .../metrics/history}: the last hour at 10 s resolution, for graphs.
 */
public final class MetricsRoutes {

  private static final int MAX_HISTORY_MINUTES = (int) (QueueHistory.CAPACITY * QueueHistory.RESOLUTION_MS / 60_000);

  private final MessagingEngine engine;

  public MetricsRoutes(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Handler<RoutingContext> authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    for (String queuePath : QueuePaths.QUEUES) {
      router.get(queuePath + "/metrics").handler(authentication).handler(read).handler(this::metrics);
      router.get(queuePath + "/metrics/history").handler(authentication).handler(read).handler(this::history);
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

  private void history(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    int minutes = RequestBody.queryInteger(ctx, "minutes", 1, MAX_HISTORY_MINUTES, MAX_HISTORY_MINUTES);
    QueueGrants.check(ctx, Resource.QUEUES, Access.READ, account, queueId)
        .compose(v -> engine.history(account, queueId, minutes))
        .onSuccess(points -> DialectResponses.cloudflare(ctx, historyJson(points)))
        .onFailure(ctx::fail);
  }

  private static JsonObject historyJson(List<QueueHistory.Point> points) {
    JsonArray list = new JsonArray();
    for (QueueHistory.Point point : points) {
      list.add(new JsonObject()
          .put("timestamp_ms", point.timestampMs())
          .put("backlog_count", point.backlogCount())
          .put("backlog_bytes", point.backlogBytes())
          .put("leased_count", point.leasedCount())
          .put("pushed", point.pushed())
          .put("acked", point.acked())
          .put("dead_lettered", point.deadLettered()));
    }
    return new JsonObject().put("resolution_seconds", QueueHistory.RESOLUTION_MS / 1000).put("points", list);
  }
}
