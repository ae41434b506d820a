package io.ferry.contracts.runtime;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * <p>Within a shape the routes are split once more by their last segment: Vert.x Web runs a route's regular
 * expression before it looks at the method, so a push to {@code .../queues/:queue_id/messages} still paid one
 * match per route of its shape ({@code .../metrics}, {@code .../purge}, ...), 10–15 % of a push's CPU. A
 * route whose last segment is fixed only goes to the group of that segment; one whose last segment holds a
 * parameter goes to every group of its shape and to the group for paths whose last segment no fixed route has.
 *
 * <p>Grouping keeps the single router's behaviour: a route's parameters never span a slash, so a route can
 * only match paths of its own shape and fixed last segment, and routes keep their order within a group. A 404 or 405 (with its
 * {@code Allow} methods) found in a group goes back to the main router, as from any sub-router. A route
 * without a fixed shape (a wildcard, a regular expression, a significant final slash, the root {@code /}; only
 * the console's redirect at {@code /} today) is kept in every group and in a group of its own for paths of
 * other shapes.
 */
final class RouteGroups {

  private final Map<String, Group[]> byFirstSegment;
  private final Router shapeless;

  private RouteGroups(Map<String, Group[]> byFirstSegment, Router shapeless) {
    this.byFirstSegment = byFirstSegment;
    this.shapeless = shapeless;
  }

  /**
   * Mounts the modules' routes once to learn their shapes, then once per shape and fixed last segment on a
   * router that keeps only the routes that can take such paths (module route mounting only registers routes,
   * so repeating it is harmless).
   */
  static RouteGroups of(Vertx vertx, List<ServiceModule> modules) {
    Map<Shape, Set<String>> lastsByShape = new LinkedHashMap<>();
    boolean anyShapeless = false;
    for (Route route : mountAll(vertx, modules).getRoutes()) {
      Shape shape = Shape.ofRoute(route);
      if (shape == null) {
        anyShapeless = true;
      } else {
        Set<String> lasts = lastsByShape.computeIfAbsent(shape, s -> new LinkedHashSet<>());
        String last = fixedLast(route.getPath());
        if (last != null) {
          lasts.add(last);
        }
      }
    }
    Map<String, Group[]> groups = new HashMap<>();
    lastsByShape.forEach((shape, lasts) -> {
      Group[] bySegments = groups.computeIfAbsent(shape.firstSegment(), first -> new Group[0]);
      if (bySegments.length <= shape.segments()) {
        bySegments = Arrays.copyOf(bySegments, shape.segments() + 1);
        groups.put(shape.firstSegment(), bySegments);
      }
      Map<String, Router> byLast = new HashMap<>();
      for (String last : lasts) {
        byLast.put(last, only(vertx, modules, shape, last));
      }
      bySegments[shape.segments()] = new Group(Map.copyOf(byLast), only(vertx, modules, shape, null));
    });
    return new RouteGroups(Map.copyOf(groups), anyShapeless ? only(vertx, modules, null, null) : null);
  }

  /** The routes of one shape: by the path's last segment, else those whose last segment is a parameter. */
  private record Group(Map<String, Router> byLast, Router otherLast) {

    Router of(String last) {
      return byLast.getOrDefault(last, otherLast);
    }
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
    Group[] bySegments = byFirstSegment.get(path.substring(1, Math.max(1, firstEnd)));
    int segments = Shape.segments(path, end);
    Group group = bySegments == null || segments >= bySegments.length ? null : bySegments[segments];
    return group == null ? shapeless : group.of(path.substring(path.lastIndexOf('/', end - 1) + 1, end));
  }

  private static Router mountAll(Vertx vertx, List<ServiceModule> modules) {
    Router router = Router.router(vertx);
    for (ServiceModule module : modules) {
      module.mountRoutes(vertx, router);
    }
    return router;
  }

  /**
   * The modules' routes of {@code shape} that can take a path ending in {@code last} (a route with that fixed
   * last segment or a parameter there; {@code null}: a segment no route of the shape fixes), plus every
   * shapeless one; {@code shape} {@code null}: the shapeless ones only.
   */
  private static Router only(Vertx vertx, List<ServiceModule> modules, Shape shape, String last) {
    Router router = mountAll(vertx, modules);
    for (Route route : List.copyOf(router.getRoutes())) {
      Shape own = Shape.ofRoute(route);
      if (own == null) {
        continue;
      }
      String ownLast = fixedLast(route.getPath());
      if (!own.equals(shape) || (ownLast != null && !ownLast.equals(last))) {
        route.remove();
      }
    }
    return router;
  }

  /** A shaped route's last segment when it is fixed text, {@code null} when it holds a parameter. */
  private static String fixedLast(String routePath) {
    String last = routePath.substring(routePath.lastIndexOf('/') + 1);
    return last.indexOf(':') >= 0 ? null : last;
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
