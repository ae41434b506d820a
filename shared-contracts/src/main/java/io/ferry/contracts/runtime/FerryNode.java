package io.ferry.contracts.runtime;

import io.ferry.contracts.auth.TokenVerifier;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.config.NodeConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Ferry process: one Vert.x instance (clustered over Hazelcast, or local for the standalone
 * process), the hosted service modules, and one HTTP server serving their routes plus the operational ones.
 */
public final class FerryNode {

  private static final Logger LOG = LoggerFactory.getLogger(FerryNode.class);
  private static final long SHUTDOWN_TIMEOUT_MS = 30_000;
  private static final Duration CLOSE_AFTER_FAILED_START = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final List<ServiceModule> modules;
  private final int httpPort;
  private final String httpDeployment;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private FerryNode(Vertx vertx, List<ServiceModule> modules, int httpPort, String httpDeployment) {
    this.vertx = vertx;
    this.modules = modules;
    this.httpPort = httpPort;
    this.httpDeployment = httpDeployment;
  }

  /** Joins the cluster described by {@code node.cluster()} and starts the modules. */
  public static Future<FerryNode> startClustered(String title, NodeConfig node, List<ServiceModule> modules) {
    Logging.apply(node.log(), title);
    node.cluster().requireBusSecurity();
    HazelcastClusterManager clusterManager = HazelcastClusters.create(node.cluster());
    VertxOptions options = baseOptions(node);
    options.getEventBusOptions().setHost(node.cluster().host()).setPort(node.cluster().busPort());
    if (node.cluster().busTls()) {
      BusTls.apply(options.getEventBusOptions(), node.cluster());
    } else {
      LOG.warn("!!! cluster.insecure-bus=true: the event bus runs WITHOUT TLS. Anyone who can reach the "
          + "Hazelcast or event-bus port of a member can read every credential and message and answer "
          + "authentication requests. Use it only on a network that admits Ferry's own processes alone. !!!");
    }
    return BusTls.clusteredVertx(options, clusterManager, node.cluster())
        .compose(vertx -> start(vertx, title, node, modules, clusterManager));
  }

  /** Starts the modules on a local (non-clustered) Vert.x instance: the standalone process. */
  public static Future<FerryNode> startLocal(String title, NodeConfig node, List<ServiceModule> modules) {
    Logging.apply(node.log(), title);
    Vertx vertx = builder(baseOptions(node)).build();
    return start(vertx, title, node, modules, null);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The port the HTTP server actually listens on. */
  public int httpPort() {
    return httpPort;
  }

  /**
   * Makes this node the life of the JVM: a non-daemon thread holds the process until the node has stopped
   * (Vert.x's own threads do not keep a JVM alive), and SIGTERM / Ctrl-C stop the node gracefully.
   */
  public FerryNode runAsProcess() {
    Thread holder = new Thread(() -> {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "ferry-process");
    holder.setDaemon(false);
    holder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutdown requested: draining");
      CountDownLatch done = new CountDownLatch(1);
      stop().onComplete(ar -> done.countDown());
      try {
        if (!done.await(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
          LOG.warn("shutdown did not finish within {} ms", SHUTDOWN_TIMEOUT_MS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LOG.info("stopped");
    }, "ferry-shutdown"));
    return this;
  }

  /**
   * Stops in the order that loses nothing: HTTP servers stop accepting and finish in-flight requests
   * (undeploy), then modules drain and flush in reverse start order, then the node leaves the cluster.
   */
  public Future<Void> stop() {
    // Each module undeploys its own verticles in its stop, so a module draining still has every module it
    // started after (the dispatcher acking its last deliveries to messaging, messaging asking admin). Undeploying
    // every deployment at once first, as this did, stopped them in no particular order.
    // The chain starts from a future bound to no context: the caller's would be closed before its end.
    Future<Void> chain = Future.<Void>succeededFuture().compose(v -> vertx.undeploy(httpDeployment).otherwiseEmpty());
    List<ServiceModule> reversed = new ArrayList<>(modules);
    java.util.Collections.reverse(reversed);
    for (ServiceModule module : reversed) {
      chain = chain.compose(v -> module.stop().recover(e -> {
        LOG.warn("{} did not stop cleanly", module.name(), e);
        return Future.succeededFuture();
      }));
    }
    return chain.compose(v -> undeployTheRest()).compose(v -> vertx.close())
        .onComplete(ar -> stopped.countDown());
  }

  private Future<Void> undeployTheRest() {
    Future<Void> chain = Future.succeededFuture();
    for (String deployment : new ArrayList<>(vertx.deploymentIDs())) {
      chain = chain.compose(v -> vertx.undeploy(deployment).otherwiseEmpty());
    }
    return chain;
  }

  private static VertxOptions baseOptions(NodeConfig node) {
    return new VertxOptions().setMetricsOptions(NodeMetrics.options())
        .setPreferNativeTransport(node.nativeTransport());
  }

  private static void logTransport(Vertx vertx, NodeConfig node) {
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("network transport: epoll");
    } else if (node.nativeTransport()) {
      // Not a fault: other platforms, or a temporary directory mounted noexec, run on the JDK's NIO, which only
      // costs CPU.
      Throwable cause = vertx.unavailableNativeTransportCause();
      LOG.info("network transport: NIO (epoll unavailable: {})", cause == null ? "unknown" : cause.toString());
    } else {
      LOG.info("network transport: NIO (net.native-transport=false)");
    }
  }

  static VertxBuilder builder(VertxOptions options) {
    return Vertx.builder().with(options).withMetrics(NodeMetrics.factory());
  }

  private static Future<FerryNode> start(Vertx vertx, String title, NodeConfig node, List<ServiceModule> modules,
      HazelcastClusterManager clusterManager) {
    logTransport(vertx, node);
    Codecs.registerAll(vertx.eventBus());
    Authentication authentication =
        Authentication.install(vertx, node.trustedProxies(), TokenVerifier.create(vertx, node.tokens()));
    HealthChecks readiness = HealthChecks.create(vertx);
    if (clusterManager != null) {
      readiness.register("cluster", p -> p.complete(clusterManager.isActive() ? Status.OK() : Status.KO()));
    }
    Future<Void> chain = authentication.followingRevocations();
    for (ServiceModule module : modules) {
      chain = chain.compose(v -> module.start(vertx))
          .onSuccess(v -> {
            module.registerReadiness(readiness);
            LOG.info("{} started", module.name());
          });
    }
    AtomicInteger port = new AtomicInteger();
    OpsRoutes ops = new OpsRoutes(readiness, OpenApiDocument.assemble(title, modules));
    ConnectionGuard connections = new ConnectionGuard(node.http());
    Future<FerryNode> started = chain
        .compose(v -> vertx.deployVerticle(
            () -> new HttpServerVerticle(node.http(), modules, ops, port::set, connections),
            new DeploymentOptions().setInstances(node.http().instances())))
        .map(id -> new FerryNode(vertx, modules, port.get(), id));
    // The outcome is not bound to a Vert.x context: after a failure the one the start ran on is gone once
    // Vert.x has closed, and a completion dispatched to it is rejected, leaving the process waiting without a
    // word (a store that could not load its native library did exactly that). So no recover() on `started`,
    // whose result would complete on that context.
    CompletableFuture<FerryNode> outcome = new CompletableFuture<>();
    started.onComplete(ready -> {
      if (ready.succeeded()) {
        outcome.complete(ready.result());
      } else {
        closeWithin(vertx, ready.cause(), outcome);
      }
    });
    return Future.fromCompletionStage(outcome);
  }

  // A start that failed half way (a port taken between the start-up check and the listen) can leave Vert.x
  // unable to finish closing; the failure is reported after a bounded wait so that the process exits with it
  // instead of running on without a server.
  private static void closeWithin(Vertx vertx, Throwable failure, CompletableFuture<FerryNode> outcome) {
    vertx.close().onComplete(closed -> outcome.completeExceptionally(failure));
    CompletableFuture.delayedExecutor(CLOSE_AFTER_FAILED_START.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> outcome.completeExceptionally(failure));
  }
}
