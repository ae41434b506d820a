package io.ferry.contracts.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What a process hosting some modules serves and documents, so that tests can hold the two to each other: the
 * routes its HTTP server mounts (the modules' and the operational ones) and its OpenAPI document.
 */
public final class ServedRoutes {

  private ServedRoutes() {
  }

  /**
   * Every route as {@code "METHOD /path/{param}"}, sorted; a route that takes every method is listed as
   * {@code "ANY /path"}.
   */
  public static List<String> of(Vertx vertx, List<ServiceModule> modules) {
    Router router = Router.router(vertx);
    for (ServiceModule module : modules) {
      module.mountRoutes(vertx, router);
    }
    new OpsRoutes(HealthChecks.create(vertx), OpenApiDocument.assemble("routes", modules)).mount(vertx, router);
    TreeSet<String> routes = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath() == null ? "(no path)" : route.getPath().replaceAll(":(\\w+)", "{$1}");
      if (route.methods() == null || route.methods().isEmpty()) {
        routes.add("ANY " + path);
      }
      for (HttpMethod method : route.methods() == null ? List.<HttpMethod>of() : route.methods()) {
        routes.add(method.name().toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return new ArrayList<>(routes);
  }

  /** The OpenAPI document a process titled {@code title} hosting {@code modules} serves at /openapi.yaml. */
  public static JsonObject openApi(String title, List<ServiceModule> modules) {
    return OpenApiDocument.assemble(title, modules).json().copy();
  }
}
