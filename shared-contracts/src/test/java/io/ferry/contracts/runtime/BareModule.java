package io.ferry.contracts.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;

/**
 * A service module that does nothing unless a test overrides it: it starts and stops at once, mounts no
 * routes, registers no readiness check and brings the test OpenAPI fragment. Tests override what they exercise.
 */
abstract class BareModule implements ServiceModule {

  @Override
  public Future<Void> start(Vertx vertx) {
    return Future.succeededFuture();
  }

  @Override
  public void mountRoutes(Vertx vertx, Router router) {
  }

  @Override
  public void registerReadiness(HealthChecks checks) {
  }

  @Override
  public String openApiResource() {
    return "openapi/test-fragment.json";
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
