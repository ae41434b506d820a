package io.ferry.contracts.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;

/**
 * One Ferry service as a process hosts it: its own process in distributed mode, or one of several in the
 * standalone process. The host starts modules in order, mounts their routes on its HTTP server and stops
 * them in reverse order.
 */
public interface ServiceModule {

  /** Short name: {@code admin}, {@code messaging}, {@code dispatcher}, {@code gateway}. */
  String name();

  /** Opens storage and registers event-bus consumers; completes when the service can do its work. */
  Future<Void> start(Vertx vertx);

  /**
   * Mounts this service's routes, and does nothing else: each HTTP server instance (one per event loop)
   * calls it several times, on fresh routers of which it keeps a part (routes grouped by path shape).
   */
  void mountRoutes(Vertx vertx, Router router);

  /** Adds this service's readiness checks (storage, consumers, ...). */
  void registerReadiness(HealthChecks checks);

  /** Classpath resource with this service's OpenAPI {@code paths}, as JSON. */
  String openApiResource();

  /** Stops taking work, drains what is in flight and flushes storage. */
  Future<Void> stop();
}
