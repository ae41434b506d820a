package io.ferry.contracts.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** {@code /health/live}, {@code /health/ready}, {@code /metrics}, {@code /openapi.yaml}, {@code /docs}. */
final class OpsRoutes {

  private final HealthChecks readiness;
  private final String openApiYaml;
  private final String docsHtml;

  OpsRoutes(HealthChecks readiness, OpenApiDocument openApi) {
    this.readiness = readiness;
    this.openApiYaml = openApi.toYaml();
    this.docsHtml = openApi.toHtml();
  }

  void mount(Vertx vertx, Router router) {
    HealthChecks liveness = HealthChecks.create(vertx).register("process", p -> p.complete(Status.OK()));
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml; charset=utf-8").end(openApiYaml));
    router.get("/docs").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(docsHtml));
  }
}
