package io.ferry.contracts.runtime;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services' routes split into groups by path shape (first segment and number of segments), each group
 * its own router, so that a request is matched against the few routes that can take its path. One router
 * with every route of every dialect matched each request against all of them in turn, one regular
 * expression per route with path parameters, which was the largest single cost of a request.
 *
 * <p>Grouping keeps the single router's behaviour: a route's parameters never span a slash, so a route can
 * only match paths of its own shape, and routes keep their order within a group. A 404 or 405 (with its
 * {@code Allow} methods) found in a group goes back to the main router, as from any sub-router. A route
 * without a fixed shape (a wildcard, a regular expression, a significant final slash, the root {@code /}; only
 * the console's redirect at {@code /} today) is kept in every group and in a group of its own for paths of
 * other shapes.
 */
final class RouteGroups {

  private final Map<String, Router[]> byFirstSegment;
  private final Router shapeless;

  private RouteGroups(Map<String, Router[]> byFirstSegment, Router shapeless) {
    this.byFirstSegment = byFirstSegment;
    this.shapeless = shapeless;
  }

  /**
   * Mounts the modules' routes once to learn their shapes, then once per shape on a router that keeps only
   * the routes of that shape (module route mounting only registers routes, so repeating it is harmless).
   */
  static RouteGroups of(Vertx vertx, List<ServiceModule> modules) {
    Set<Shape> shapes = new LinkedHashSet<>();
    boolean anyShapeless = false;
    for (Route route : mountAll(vertx, modules).getRoutes()) {
      Shape shape = Shape.ofRoute(route);
      if (shape == null) {
        anyShapeless = true;
      } else {
        shapes.add(shape);
      }
    }
    Map<String, Router[]> groups = new HashMap<>();
    for (Shape shape : shapes) {
      Router[] bySegments = groups.computeIfAbsent(shape.firstSegment(), first -> new Router[0]);
      if (bySegments.length <= shape.segments()) {
        bySegments = Arrays.copyOf(bySegments, shape.segments() + 1);
        groups.put(shape.firstSegment(), bySegments);
      }
      bySegments[shape.segments()] = only(vertx, modules, shape);
    }
    return new RouteGroups(Map.copyOf(groups), anyShapeless ? only(vertx, modules, null) : null);
  }

  /** One route on {@code router} that passes each request, and each failure, to the group of its path. */
  void mountOn(Router router) {
    router.route().handler(this::handle).failureHandler(this::handleFailure);
  }

  private void handle(RoutingContext ctx) {
    Router group = groupOf(ctx.normalizedPath());
    if (group == null) {
      ctx.next();
    } else {
      group.handleContext(ctx);
    }
  }

  // Route-level failure handlers (the WebSocket routes release their paused request) run as before.
  private void handleFailure(RoutingContext ctx) {
    Router group = groupOf(ctx.normalizedPath());
    if (group == null) {
      ctx.next();
    } else {
      group.handleFailure(ctx);
    }
  }

  private Router groupOf(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return shapeless;
    }
    int end = Shape.endWithoutFinalSlash(path);
    int firstEnd = path.indexOf('/', 1);
    if (firstEnd < 0 || firstEnd > end) {
      firstEnd = end;
    }
    Router[] bySegments = byFirstSegment.get(path.substring(1, Math.max(1, firstEnd)));
    int segments = Shape.segments(path, end);
    Router group = bySegments == null || segments >= bySegments.length ? null : bySegments[segments];
    return group == null ? shapeless : group;
  }

  private static Router mountAll(Vertx vertx, List<ServiceModule> modules) {
    Router router = Router.router(vertx);
    for (ServiceModule module : modules) {
      module.mountRoutes(vertx, router);
    }
    return router;
  }

  /** The modules' routes of {@code shape} plus every shapeless one; {@code null}: the shapeless ones only. */
  private static Router only(Vertx vertx, List<ServiceModule> modules, Shape shape) {
    Router router = mountAll(vertx, modules);
    for (Route route : List.copyOf(router.getRoutes())) {
      Shape own = Shape.ofRoute(route);
      if (own != null && !own.equals(shape)) {
        route.remove();
      }
    }
    return router;
  }

  /** The first path segment and the number of segments, ignoring one final slash as route matching does. */
  record Shape(String firstSegment, int segments) {

    static Shape ofRoute(Route route) {
      String path = route.getPath();
      if (path == null || !route.isExactPath() || path.length() < 2 || path.endsWith("/")) {
        return null;
      }
      int firstEnd = path.indexOf('/', 1);
      String first = path.substring(1, firstEnd < 0 ? path.length() : firstEnd);
      return first.indexOf(':') >= 0 ? null : new Shape(first, segments(path, path.length()));
    }

    static int endWithoutFinalSlash(String path) {
      int end = path.length();
      return end > 1 && path.charAt(end - 1) == '/' ? end - 1 : end;
    }

    static int segments(String path, int end) {
      int slashes = 0;
      for (int i = 0; i < end; i++) {
        if (path.charAt(i) == '/') {
          slashes++;
        }
      }
      return slashes;
    }
  }
}
