package io.ferry.contracts.runtime;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The services' routes split into groups by the paths they can take, each group its own router, so that a
 * request meets only the routes whose path could be its own. One router with every route of every dialect
 * matched each request against all of them in turn, one regular expression per route with path parameters,
 * which was the largest single cost of a request; and Vert.x Web runs a route's expression before it looks at
 * the method.
 *
 * <p>Routes are first told apart by shape (first segment and number of segments), then by their fixed
 * segments: a request's path is compared segment by segment with the paths of its shape's routes (a
 * parameter takes any segment), and the routes whose fixed segments all equal the request's own make up its
 * group. A push to {@code .../queues/:queue_id/messages} so meets its own route alone, not
 * {@code .../event_subscriptions/subscriptions/:subscription_id} of the same shape. Every set of routes a path
 * can select is known from the routes alone, so each group's router is built at start.
 *
 * <p>Grouping keeps the single router's behaviour: a route's parameters never span a slash, so a route can
 * only match paths of its own shape whose segments equal its fixed ones, and routes keep their order within
 * a group. A 404 or 405 (with its {@code Allow} methods) found in a group goes back to the main router, as
 * from any sub-router. A route without a fixed shape (a wildcard, a regular expression, a significant final
 * slash, the root {@code /}; only the console's redirect at {@code /} today) is kept in every group and in a
 * group of its own for paths of other shapes.
 */
final class RouteGroups {

  private final Map<String, Shaped[]> byFirstSegment;
  private final Router shapeless;

  private RouteGroups(Map<String, Shaped[]> byFirstSegment, Router shapeless) {
    this.byFirstSegment = byFirstSegment;
    this.shapeless = shapeless;
  }

  /**
   * Mounts the modules' routes once to learn their paths, then once per group on a router that keeps only
   * the group's routes (module route mounting only registers routes, so repeating it is harmless).
   */
  static RouteGroups of(Vertx vertx, List<ServiceModule> modules) {
    Map<Shape, List<String>> pathsByShape = new LinkedHashMap<>();
    boolean anyShapeless = false;
    for (Route route : mountAll(vertx, modules).getRoutes()) {
      Shape shape = Shape.ofRoute(route);
      if (shape == null) {
        anyShapeless = true;
      } else {
        List<String> paths = pathsByShape.computeIfAbsent(shape, s -> new ArrayList<>());
        if (!paths.contains(route.getPath())) {
          paths.add(route.getPath());
        }
      }
    }
    Router shapeless = anyShapeless ? only(vertx, modules, route -> false) : null;
    Map<String, Shaped[]> groups = new HashMap<>();
    pathsByShape.forEach((shape, paths) -> {
      Shaped[] bySegments = groups.computeIfAbsent(shape.firstSegment(), first -> new Shaped[0]);
      if (bySegments.length <= shape.segments()) {
        bySegments = Arrays.copyOf(bySegments, shape.segments() + 1);
        groups.put(shape.firstSegment(), bySegments);
      }
      bySegments[shape.segments()] = Shaped.of(vertx, modules, shape, paths, shapeless);
    });
    return new RouteGroups(Map.copyOf(groups), shapeless);
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
    Shaped[] bySegments = byFirstSegment.get(path.substring(1, Math.max(1, firstEnd)));
    int segments = Shape.segments(path, end);
    Shaped shaped = bySegments == null || segments >= bySegments.length ? null : bySegments[segments];
    return shaped == null ? shapeless : shaped.groupOf(path, firstEnd, end);
  }

  private static Router mountAll(Vertx vertx, List<ServiceModule> modules) {
    Router router = Router.router(vertx);
    for (ServiceModule module : modules) {
      module.mountRoutes(vertx, router);
    }
    return router;
  }

  /** The modules' shapeless routes and the shaped ones {@code keep} accepts, in their order. */
  private static Router only(Vertx vertx, List<ServiceModule> modules, Predicate<Route> keep) {
    Router router = mountAll(vertx, modules);
    for (Route route : List.copyOf(router.getRoutes())) {
      if (Shape.ofRoute(route) != null && !keep.test(route)) {
        route.remove();
      }
    }
    return router;
  }

  /**
   * The routes of one shape, told apart by their fixed segments. Route paths are numbered in order (bit
   * {@code i} of a mask is the i-th path); a request's mask holds the paths whose fixed segments it has.
   */
  private static final class Shaped {

    // [path][segment]: the fixed text of that segment, or null where the path has a parameter.
    private final String[][] segments;
    private final long[] masks;
    private final Router[] groups;

    private Shaped(String[][] segments, long[] masks, Router[] groups) {
      this.segments = segments;
      this.masks = masks;
      this.groups = groups;
    }

    static Shaped of(Vertx vertx, List<ServiceModule> modules, Shape shape, List<String> paths,
        Router shapeless) {
      if (paths.size() > Long.SIZE) {
        throw new IllegalStateException("more than " + Long.SIZE + " route paths of the shape " + shape);
      }
      String[][] segments = new String[paths.size()][];
      for (int p = 0; p < segments.length; p++) {
        segments[p] = fixedSegments(paths.get(p));
      }
      Set<Long> reachable = new LinkedHashSet<>();
      explore(segments, 1, shape.segments(), everyPath(segments.length), new HashSet<>(), reachable);
      long[] masks = reachable.stream().mapToLong(Long::longValue).toArray();
      Router[] groups = new Router[masks.length];
      for (int m = 0; m < masks.length; m++) {
        long mask = masks[m];
        groups[m] = mask == 0 ? shapeless : only(vertx, modules,
            route -> shape.equals(Shape.ofRoute(route)) && (mask & 1L << paths.indexOf(route.getPath())) != 0);
      }
      return new Shaped(segments, masks, groups);
    }

    /**
     * Adds every mask a path can have from segment {@code at} on, given the paths still matching. At each
     * segment a request's text either equals one of the fixed texts there or none of them; texts alike in
     * that select the same paths, so those classes are all there is to try.
     */
    private static void explore(String[][] segments, int at, int count, long mask, Set<String> seen,
        Set<Long> reachable) {
      if (at == count || mask == 0) {
        reachable.add(mask);
        return;
      }
      if (!seen.add(at + ":" + mask)) {
        return;
      }
      Set<String> texts = new LinkedHashSet<>();
      long fixedHere = 0;
      for (int p = 0; p < segments.length; p++) {
        if ((mask & 1L << p) != 0 && segments[p][at] != null) {
          texts.add(segments[p][at]);
          fixedHere |= 1L << p;
        }
      }
      for (String text : texts) {
        long others = 0;
        for (int p = 0; p < segments.length; p++) {
          if ((fixedHere & 1L << p) != 0 && !segments[p][at].equals(text)) {
            others |= 1L << p;
          }
        }
        explore(segments, at + 1, count, mask & ~others, seen, reachable);
      }
      explore(segments, at + 1, count, mask & ~fixedHere, seen, reachable);
    }

    /** The router of the routes whose fixed segments {@code path} (up to {@code end}) has. */
    Router groupOf(String path, int firstEnd, int end) {
      long mask = everyPath(segments.length);
      int start = firstEnd + 1;
      for (int at = 1; start <= end && mask != 0; at++) {
        int stop = path.indexOf('/', start);
        if (stop < 0 || stop > end) {
          stop = end;
        }
        for (long candidates = mask; candidates != 0; candidates &= candidates - 1) {
          int p = Long.numberOfTrailingZeros(candidates);
          String fixed = segments[p][at];
          if (fixed != null
              && (fixed.length() != stop - start || !path.regionMatches(start, fixed, 0, fixed.length()))) {
            mask &= ~(1L << p);
          }
        }
        start = stop + 1;
      }
      for (int m = 0; m < masks.length; m++) {
        if (masks[m] == mask) {
          return groups[m];
        }
      }
      throw new IllegalStateException("no route group for " + path);
    }

    private static long everyPath(int paths) {
      return paths == Long.SIZE ? -1L : (1L << paths) - 1;
    }

    /**
     * A route path's segments, first one included: the text where it is fixed, null where it holds a
     * parameter or anything else a regular expression could read as more than itself (matched by any
     * segment, so Vert.x Web decides those).
     */
    private static String[] fixedSegments(String routePath) {
      String[] parts = routePath.substring(1).split("/", -1);
      for (int i = 0; i < parts.length; i++) {
        if (!isPlainText(parts[i])) {
          parts[i] = null;
        }
      }
      return parts;
    }

    private static boolean isPlainText(String segment) {
      if (segment.isEmpty()) {
        return false;
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
          return false;
        }
      }
      return true;
    }
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
