package io.ferry.dispatcher;

import io.ferry.contracts.runtime.ServiceModule;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.dispatcher.core.HostResolver;
import io.ferry.dispatcher.core.ListenerRegistry;
import io.ferry.dispatcher.core.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/**
 * listener-dispatcher: delivers every message of a queue to each of its webhook listeners as signed HTTP
 * POSTs. It serves no routes of its own; its HTTP surface is the runtime's operational routes.
 */
public final class DispatcherModule implements ServiceModule {

  private final DispatcherConfig config;
  private final RetryPolicy retryPolicy;
  private final Function<Vertx, HostResolver> resolver;
  private Vertx vertx;
  private DispatcherVerticle verticle;
  private String deploymentId;

  private DispatcherModule(DispatcherConfig config, RetryPolicy retryPolicy,
      Function<Vertx, HostResolver> resolver) {
    this.config = config;
    this.retryPolicy = retryPolicy;
    this.resolver = resolver;
  }

  /** Retries on the configured schedule; hosts resolved by the system's resolver. */
  public static DispatcherModule create(DispatcherConfig config) {
    return create(config, RetryPolicy.from(config));
  }

  /** A module with its own retry schedule (tests pin the jitter through it). */
  public static DispatcherModule create(DispatcherConfig config, RetryPolicy retryPolicy) {
    return create(config, retryPolicy, HostResolver::system);
  }

  /** A module with its own retry schedule and name resolution (tests play a rebinding DNS through it). */
  public static DispatcherModule create(DispatcherConfig config, RetryPolicy retryPolicy,
      Function<Vertx, HostResolver> resolver) {
    return new DispatcherModule(config, retryPolicy, resolver);
  }

  @Override
  public String name() {
    return "dispatcher";
  }

  @Override
  public Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    this.verticle = new DispatcherVerticle(config, retryPolicy, resolver);
    return vertx.deployVerticle(verticle).onSuccess(id -> deploymentId = id).mapEmpty();
  }

  @Override
  public void mountRoutes(Vertx vertx, Router router) {
    // outbound HTTP only
  }

  @Override
  public void registerReadiness(HealthChecks checks) {
    checks.register("listeners", promise -> promise.complete(
        verticle != null && verticle.listenersLoaded() ? Status.OK() : Status.KO()));
  }

  @Override
  public String openApiResource() {
    return "openapi/dispatcher.json";
  }

  /** Whether admin's listener list has been loaded. */
  public boolean listenersLoaded() {
    return verticle != null && verticle.listenersLoaded();
  }

  /** The registry, for embedding processes and tests that inspect which listeners are served. */
  public ListenerRegistry registry() {
    return verticle == null ? null : verticle.registry();
  }

  /**
   * Whether this instance checks the listener's liveness (docs/webhooks.md, "Liveness checks across
   * instances"), for tests; read from another thread it may lag a change of instances by a moment.
   */
  public boolean checksLiveness(String listenerId) {
    return verticle != null && verticle.checksLiveness(listenerId);
  }

  @Override
  public Future<Void> stop() {
    // Undeploying drains the deliveries in flight while messaging, stopped after us, still takes their acks.
    if (deploymentId == null || !vertx.deploymentIDs().contains(deploymentId)) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deploymentId);
  }
}
