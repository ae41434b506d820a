package io.ferry.gateway;

import io.ferry.contracts.runtime.ServiceModule;
import io.ferry.gateway.api.SonyaListenRouter;
import io.ferry.gateway.bus.BusHistoryReader;
import io.ferry.gateway.bus.BusLiveSources;
import io.ferry.gateway.bus.BusQueueDirectory;
import io.ferry.gateway.config.GatewayConfig;
import io.ferry.gateway.core.LiveFeeds;
import io.ferry.gateway.core.Subscriptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * ws-gateway: Sonya live subscriptions (WebSocket and long poll) following queues' logs by sequence. Holds
 * no storage; reads history from messaging-service, live batches from each queue's published address, and
 * Ferry's events to end the subscriptions of deleted queues and ids.
 */
public final class GatewayModule implements ServiceModule {

  private final GatewayConfig config;
  private Vertx vertx;
  private LiveFeeds feeds;
  private String feedsDeployment;
  private Subscriptions subscriptions;

  private GatewayModule(GatewayConfig config) {
    this.config = config;
  }

  public static GatewayModule create(GatewayConfig config) {
    return new GatewayModule(config);
  }

  public GatewayConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    BusHistoryReader history = new BusHistoryReader(vertx);
    LiveFeeds deploying = new LiveFeeds(new BusLiveSources(vertx), history);
    return vertx.deployVerticle(deploying).onSuccess(id -> {
      feeds = deploying;
      feedsDeployment = id;
      subscriptions = new Subscriptions(deploying, history, config);
      registerGauges(deploying, subscriptions);
    }).mapEmpty();
  }

  @Override
  public void mountRoutes(Vertx vertx, Router router) {
    new SonyaListenRouter(vertx, new BusQueueDirectory(vertx), subscriptions).mount(router);
  }

  @Override
  public void registerReadiness(HealthChecks checks) {
    checks.register("live-feeds", p -> p.complete(feeds != null && feeds.isOpen() ? Status.OK() : Status.KO()));
  }

  @Override
  public String openApiResource() {
    return "openapi/gateway.json";
  }

  /** Closes every subscription with 1001 and unregisters every feed. */
  @Override
  public Future<Void> stop() {
    if (feedsDeployment == null) {
      return Future.succeededFuture();
    }
    // A test may already have undeployed the feeds; that is fine.
    return vertx.undeploy(feedsDeployment).otherwiseEmpty();
  }

  /** Open subscriptions (sockets, including ones still opening, and waiting long polls). */
  public int subscriptionCount() {
    return feeds == null ? 0 : feeds.followerCount();
  }

  /** Queues this gateway currently receives live batches for. */
  public int followedQueueCount() {
    return feeds == null ? 0 : feeds.followedQueueCount();
  }

  /** Bytes held in memory for subscribers, over every socket. */
  public long heldBytes() {
    return subscriptions == null ? 0 : subscriptions.heldBytes();
  }

  private static void registerGauges(LiveFeeds feeds, Subscriptions subscriptions) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return;
    }
    Gauge.builder("ferry.gateway.subscriptions", feeds, LiveFeeds::followerCount)
        .description("Open live subscriptions").register(registry);
    Gauge.builder("ferry.gateway.followed.queues", feeds, LiveFeeds::followedQueueCount)
        .description("Queues with a live feed on this gateway").register(registry);
    Gauge.builder("ferry.gateway.held.bytes", subscriptions, Subscriptions::heldBytes).baseUnit("bytes")
        .description("Bytes held in memory for subscribers: frames waiting for replay or to be written")
        .register(registry);
    FunctionCounter.builder("ferry.gateway.sockets.fell.behind", subscriptions, Subscriptions::closedBehind)
        .description("WebSockets closed with 1013: too much held or queued for them").register(registry);
  }
}
