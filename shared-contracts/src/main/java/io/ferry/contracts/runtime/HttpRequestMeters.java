package io.ferry.contracts.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The per-request series of Vert.x's HTTP server metrics ({@code vertx_http_server_active_requests},
 * {@code _request_bytes}, {@code _requests_total}, {@code _response_time_seconds}, {@code _response_bytes},
 * {@code _request_resets_total}), with the names, labels, help texts and values vertx-micrometer-metrics gives
 * them, but each meter registered once and then kept per method, route template and status code: a request
 * costs two small map look-ups instead of five tag merges and registry look-ups. Connection-level series
 * ({@code _active_connections}, {@code _bytes_read_total}, ...) and WebSockets stay Vert.x's own.
 *
 * <p>One per meter registry, shared by every server of every Vert.x instance using it, as the registry itself
 * is: a gauge registered twice under one id is the first one, so its adder must be the same.
 */
final class HttpRequestMeters {

  // The labels Vert.x would give these series when enabled; any other per-request label (path, local or remote
  // address, a custom tags provider) leaves Vert.x's own metrics in place.
  private static final Set<Label> UNSUPPORTED = Set.of(Label.HTTP_PATH, Label.LOCAL, Label.REMOTE);
  private static final Map<MeterRegistry, HttpRequestMeters> BY_REGISTRY = new WeakHashMap<>();

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final boolean methodLabel;
  private final boolean routeLabel;
  private final boolean codeLabel;
  private final Map<HttpMethod, MethodMeters> byMethod = new ConcurrentHashMap<>();

  private HttpRequestMeters(MeterRegistry registry, MetricsNaming names, Set<Label> labels) {
    this.registry = registry;
    this.names = names;
    this.methodLabel = labels.contains(Label.HTTP_METHOD);
    this.routeLabel = labels.contains(Label.HTTP_ROUTE);
    this.codeLabel = labels.contains(Label.HTTP_CODE);
  }

  /** The registry's request meters; null when the options ask for what only Vert.x's own meters give. */
  static HttpRequestMeters of(MeterRegistry registry, MicrometerMetricsOptions options) {
    Set<Label> labels = options.getLabels();
    if (registry == null || options.getServerRequestTagsProvider() != null
        || labels.stream().anyMatch(UNSUPPORTED::contains)
        || options.isMetricsCategoryDisabled(MetricsDomain.HTTP_SERVER)) {
      return null;
    }
    synchronized (BY_REGISTRY) {
      return BY_REGISTRY.computeIfAbsent(registry, r -> new HttpRequestMeters(r,
          options.getMetricsNaming().withBaseName(MetricsDomain.HTTP_SERVER.getPrefix()), labels));
    }
  }

  /** A server's metrics: these meters for requests, {@code connections} (Vert.x's) for the rest. */
  HttpServerMetrics<?, ?, ?> over(HttpServerMetrics<?, ?, ?> connections) {
    @SuppressWarnings("unchecked")
    HttpServerMetrics<Object, Object, Object> vertx = (HttpServerMetrics<Object, Object, Object>) connections;
    return new Server(vertx);
  }

  private MethodMeters method(HttpMethod method) {
    MethodMeters meters = byMethod.get(method);
    return meters != null ? meters : byMethod.computeIfAbsent(method, MethodMeters::new);
  }

  /** The meters tagged with the method alone (as Vert.x tags them when the request begins). */
  private final class MethodMeters {

    final Tags tags;
    final LongAdder active = new LongAdder();
    final DistributionSummary requestBytes;
    final Map<String, RouteMeters> byRoute = new ConcurrentHashMap<>();
    private volatile Counter resets;

    MethodMeters(HttpMethod method) {
      tags = methodLabel ? Tags.of(Label.HTTP_METHOD.toString(), method.toString()) : Tags.empty();
      Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
          .description("Number of requests being processed").tags(tags).strongReference(true).register(registry);
      requestBytes = DistributionSummary.builder(names.getHttpRequestBytes())
          .description("Size of requests in bytes").tags(tags).register(registry);
    }

    // Registered at the first reset, as Vert.x does: a node that never saw one serves no such series.
    Counter resets() {
      Counter counter = resets;
      if (counter == null) {
        counter = Counter.builder(names.getHttpRequestResetsCount()).description("Number of request resets")
            .tags(tags).register(registry);
        resets = counter;
      }
      return counter;
    }

    ResponseMeters response(String route, int code) {
      RouteMeters meters = byRoute.get(route);
      if (meters == null) {
        meters = byRoute.computeIfAbsent(route, RouteMeters::new);
      }
      return meters.byCode.of(code);
    }

    /** The meters of one route, by status code. */
    private final class RouteMeters {

      final MetersByStatus<ResponseMeters> byCode;

      RouteMeters(String route) {
        Tags tags = routeLabel ? MethodMeters.this.tags.and(Label.HTTP_ROUTE.toString(), route) : MethodMeters.this.tags;
        byCode = new MetersByStatus<>(code ->
            new ResponseMeters(codeLabel ? tags.and(Label.HTTP_CODE.toString(), String.valueOf(code)) : tags));
      }
    }
  }

  /** The meters tagged with method, route and status code (as Vert.x tags them when the response ends). */
  private final class ResponseMeters {

    final Counter requests;
    final Timer responseTime;
    final DistributionSummary responseBytes;

    ResponseMeters(Tags tags) {
      requests = Counter.builder(names.getHttpRequestsCount()).description("Number of processed requests")
          .tags(tags).register(registry);
      responseTime = Timer.builder(names.getHttpResponseTime()).description("Request processing time")
          .tags(tags).register(registry);
      responseBytes = DistributionSummary.builder(names.getHttpResponseBytes())
          .description("Size of responses in bytes").tags(tags).register(registry);
    }
  }

  /**
   * One request, from its beginning to the end of both its request and its response (or its reset); as in
   * Vert.x, it counts as active until both have ended, and a reset one stops counting at once.
   */
  private static final class Request {

    final MethodMeters meters;
    final long startNanos = System.nanoTime();
    // A single route's template, or several joined with '>' as Vert.x joins them (a sub-router's route after
    // the route that mounted it); null until routed.
    private String route;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    Request(MethodMeters meters) {
      this.meters = meters;
    }

    void routed(String next) {
      if (next != null) {
        route = route == null ? next : route + '>' + next;
      }
    }

    String route() {
      return route == null ? "" : route;
    }
  }

  /** One server's metrics; Vert.x calls a request's methods on its connection's event loop. */
  private final class Server extends ConnectionMetrics implements HttpServerMetrics<Request, Object, Object> {

    private final HttpServerMetrics<Object, Object, Object> vertx;

    Server(HttpServerMetrics<Object, Object, Object> vertx) {
      super(vertx);
      this.vertx = vertx;
    }

    @Override
    public Request requestBegin(Object socketMetric, HttpRequest request) {
      return begun(request.method());
    }

    @Override
    public Request responsePushed(Object socketMetric, HttpMethod method, String uri, HttpResponse response) {
      return begun(method);
    }

    private Request begun(HttpMethod method) {
      Request request = new Request(method(method));
      request.meters.active.increment();
      return request;
    }

    @Override
    public void requestRouted(Request request, String route) {
      request.routed(route);
    }

    @Override
    public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
      request.meters.requestBytes.record(bytesRead);
      request.requestEnded = true;
      if (!request.reset && request.responseEnded) {
        request.meters.active.decrement();
      }
    }

    @Override
    public void requestReset(Request request) {
      request.meters.resets().increment();
      request.meters.active.decrement();
      request.reset = true;
    }

    @Override
    public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
      ResponseMeters meters = request.meters.response(request.route(), response.statusCode());
      meters.requests.increment();
      meters.responseTime.record(System.nanoTime() - request.startNanos, TimeUnit.NANOSECONDS);
      meters.responseBytes.record(bytesWritten);
      request.responseEnded = true;
      if (!request.reset && request.requestEnded) {
        request.meters.active.decrement();
      }
    }

    // Vert.x's WebSocket gauge is tagged with the connection's tags only; it never reads the request metric.
    // Without a socket metric (see ConnectionMetrics), the WebSocket is counted nowhere either.
    @Override
    public Object connected(Object socketMetric, Request request, ServerWebSocket webSocket) {
      return socketMetric == null ? null : vertx.connected(socketMetric, null, webSocket);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      if (webSocketMetric != null) {
        vertx.disconnected(webSocketMetric);
      }
    }
  }
}
