package io.ferry.gateway.api;

import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.BusAuthHandler;
import io.ferry.gateway.bus.QueueDirectory;
import io.ferry.gateway.core.StartPosition;
import io.ferry.gateway.core.Subscriptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Sonya live-subscription routes: {@code GET /queue/listen/ws/{queue}[/{id}]}. Everything that can fail —
 * credentials, the queue, {@code ?sequence=} — is settled before the upgrade, so failures are ordinary
 * HTTP responses in the Sonya error format.
 */
public final class SonyaListenRouter {

  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._~/-]{1,128}");

  private final BusAuthHandler auth;
  private final QueueDirectory queues;
  private final Subscriptions subscriptions;

  public SonyaListenRouter(Vertx vertx, Subscriptions subscriptions) {
    this.auth = BusAuthHandler.create(vertx, Principal.SONYA);
    this.queues = new QueueDirectory(vertx);
    this.subscriptions = subscriptions;
  }

  public void mount(Router router) {
    router.get("/queue/listen/ws/:queue").handler(SonyaListenRouter::holdRequest).handler(auth)
        .handler(this::listenToQueue).failureHandler(SonyaListenRouter::releaseRequest);
    router.get("/queue/listen/ws/:queue/:id").handler(SonyaListenRouter::holdRequest).handler(auth)
        .handler(this::listenToId).failureHandler(SonyaListenRouter::releaseRequest);
  }

  // Vert.x only upgrades a request it has not finished reading, and authentication and the queue lookup
  // are asynchronous: the request stays paused until the upgrade, or until it fails (releaseRequest).
  private static void holdRequest(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    ctx.next();
  }

  private static void releaseRequest(RoutingContext ctx) {
    ctx.request().resume();
    ctx.next();
  }

  private void listenToQueue(RoutingContext ctx) {
    subscribe(ctx, null);
  }

  private void listenToId(RoutingContext ctx) {
    subscribe(ctx, ctx.pathParam("id"));
  }

  private void subscribe(RoutingContext ctx, String key) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      throw FerryException.invalidField("Upgrade", "this route only serves WebSocket upgrade requests");
    }
    String queueName = ctx.pathParam("queue");
    if (!QUEUE_NAME.matcher(queueName).matches()) {
      throw FerryException.invalidField("queue", "must be 1-128 characters of A-Z a-z 0-9 . _ ~ / -");
    }
    StartPosition start = StartPosition.parse(request.getParam("sequence"));
    Principal principal = BusAuthHandler.principal(ctx);
    queues.byName(principal.accountId(), queueName)
        .compose(queue -> subscriptions.open(queue.id(), key, start))
        .compose(subscription -> request.toWebSocket()
            .onSuccess(socket -> subscription.attach(
                new WebSocketSink(socket, subscriptions.limits().maxQueuedBytes())))
            .onFailure(e -> subscription.cancel()))
        .onFailure(ctx::fail);
  }
}
