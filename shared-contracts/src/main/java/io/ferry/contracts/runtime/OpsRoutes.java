package io.ferry.contracts.runtime;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * {@code /health/live}, {@code /health/ready}, {@code /metrics}, {@code /openapi.yaml}, {@code /docs} (Swagger UI)
 * and the files {@code /docs} loads.
 */
final class OpsRoutes {

  // Swagger UI runs from same-origin files only; it sets element styles from script, hence 'unsafe-inline'
  // for styles (never for scripts).
  static final String DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final HealthChecks readiness;
  private final Buffer openApiYaml;
  private Future<DocsAssets> docs;

  OpsRoutes(HealthChecks readiness, OpenApiDocument openApi) {
    this.readiness = readiness;
    this.openApiYaml = Buffer.buffer(openApi.toYaml());
  }

  void mount(Vertx vertx, Router router) {
    HealthChecks liveness = HealthChecks.create(vertx).register("process", p -> p.complete(Status.OK()));
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.get("/openapi.yaml").handler(this::openApi);
    router.head("/openapi.yaml").handler(this::openApi);
    router.get("/docs").handler(ctx -> docs(vertx, ctx, DocsAssets.PAGE));
    router.head("/docs").handler(ctx -> docs(vertx, ctx, DocsAssets.PAGE));
    router.get("/docs/:asset").handler(ctx -> docs(vertx, ctx, ctx.pathParam("asset")));
  }

  // Shown by a browser rather than saved: inline, and the type taken as given.
  private void openApi(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"openapi.yaml\"")
        .putHeader("X-Content-Type-Options", "nosniff");
    send(ctx, "application/yaml; charset=utf-8", openApiYaml);
  }

  private void docs(Vertx vertx, RoutingContext ctx, String name) {
    assets(vertx).onSuccess(assets -> {
      DocsAssets.Asset asset = assets.get(name);
      if (asset == null) {
        ctx.fail(new FerryException(ErrorCode.NOT_FOUND, "no such file"));
        return;
      }
      ctx.response()
          .putHeader("Content-Security-Policy", DOCS_CSP)
          .putHeader("X-Content-Type-Options", "nosniff");
      send(ctx, asset.contentType(), asset.bytes());
    }).onFailure(ctx::fail);
  }

  // Read on first use, off the event loop: Swagger UI's bundle is a couple of megabytes.
  private synchronized Future<DocsAssets> assets(Vertx vertx) {
    if (docs == null) {
      docs = vertx.executeBlocking(DocsAssets::read);
    }
    return docs;
  }

  private static void send(RoutingContext ctx, String contentType, Buffer body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    if (ctx.request().method() == HttpMethod.HEAD) {
      ctx.response().putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length())).end();
    } else {
      ctx.response().end(body);
    }
  }
}
