package io.ferry.contracts.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
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
 * The per-request series of Vert.x's HTTP client metrics ({@code vertx_http_client_active_requests},
 * {@code _requests_total}, {@code _request_bytes}, {@code _responses_total}, {@code _response_time_seconds},
 * {@code _response_bytes}) with the names, labels, help texts and values vertx-micrometer-metrics gives them,
 * each meter registered once and then kept per method and status code. Vert.x's own client meters register
 * the active-requests gauge and look up four more meters in the registry, merging tags, on every request: the
 * webhook client sends one per delivery, and those look-ups were 4–6 % of a delivery's CPU. Connection-level
 * series ({@code _active_connections}, {@code _bytes_read_total}, ...) and WebSockets stay Vert.x's own.
 *
 * <p>One per meter registry, as {@link HttpRequestMeters} on the server side.
 */
final class HttpClientRequestMeters {

  // The labels Vert.x would give these series when enabled; with any of them Vert.x's own meters stay.
  private static final Set<Label> UNSUPPORTED = Set.of(Label.HTTP_PATH, Label.LOCAL, Label.REMOTE, Label.CLIENT_NAME);
  private static final Map<MeterRegistry, HttpClientRequestMeters> BY_REGISTRY = new WeakHashMap<>();
  // The response tags of a request that ended without its response having begun (as Vert.x: no code label).
  private static final int NO_CODE = -1;

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final boolean methodLabel;
  private final boolean codeLabel;
  private final Map<HttpMethod, MethodMeters> byMethod = new ConcurrentHashMap<>();

  private HttpClientRequestMeters(MeterRegistry registry, MetricsNaming names, Set<Label> labels) {
    this.registry = registry;
    this.names = names;
    this.methodLabel = labels.contains(Label.HTTP_METHOD);
    this.codeLabel = labels.contains(Label.HTTP_CODE);
  }

  /** The registry's client request meters; null when the options ask for what only Vert.x's meters give. */
  static HttpClientRequestMeters of(MeterRegistry registry, MicrometerMetricsOptions options) {
    Set<Label> labels = options.getLabels();
    if (registry == null || options.getClientRequestTagsProvider() != null
        || labels.stream().anyMatch(UNSUPPORTED::contains)
        || options.isMetricsCategoryDisabled(MetricsDomain.HTTP_CLIENT)) {
      return null;
    }
    synchronized (BY_REGISTRY) {
      return BY_REGISTRY.computeIfAbsent(registry, r -> new HttpClientRequestMeters(r,
          options.getMetricsNaming().withBaseName(MetricsDomain.HTTP_CLIENT.getPrefix()), labels));
    }
  }

  /** A client's metrics: these meters for requests, {@code connections} (Vert.x's) for the rest. */
  HttpClientMetrics<?, ?, ?> over(HttpClientMetrics<?, ?, ?> connections) {
    @SuppressWarnings("unchecked")
    HttpClientMetrics<Object, Object, Object> vertx = (HttpClientMetrics<Object, Object, Object>) connections;
    return new Client(vertx);
  }

  private MethodMeters method(HttpMethod method) {
    MethodMeters meters = byMethod.get(method);
    return meters != null ? meters : byMethod.computeIfAbsent(method, MethodMeters::new);
  }

  /** The meters tagged with the method alone (as Vert.x tags them when the request begins). */
  private final class MethodMeters {

    final Tags tags;
    final LongAdder active = new LongAdder();
    final Counter requests;
    final DistributionSummary requestBytes;
    final MetersByStatus<ResponseMeters> byCode;

    MethodMeters(HttpMethod method) {
      tags = methodLabel ? Tags.of(Label.HTTP_METHOD.toString(), method.toString()) : Tags.empty();
      Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
          .description("Number of requests waiting for a response").tags(tags).strongReference(true)
          .register(registry);
      requests = Counter.builder(names.getHttpRequestsCount()).description("Number of requests sent").tags(tags)
          .register(registry);
      requestBytes = DistributionSummary.builder(names.getHttpRequestBytes()).description("Size of requests in bytes")
          .tags(tags).register(registry);
      byCode = new MetersByStatus<>(code -> new ResponseMeters(
          codeLabel && code != NO_CODE ? tags.and(Label.HTTP_CODE.toString(), String.valueOf(code)) : tags));
    }
  }

  /** The meters tagged with method and status code (as Vert.x tags them when the response ends). */
  private final class ResponseMeters {

    final Counter responses;
    final Timer responseTime;
    final DistributionSummary responseBytes;

    ResponseMeters(Tags tags) {
      responses = Counter.builder(names.getHttpResponsesCount()).description("Response count with codes").tags(tags)
          .register(registry);
      responseTime = Timer.builder(names.getHttpResponseTime()).description("Response time").tags(tags)
          .register(registry);
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
    int code = NO_CODE;
    boolean requestEnded;
    boolean responseEnded;
    boolean reset;

    Request(MethodMeters meters) {
      this.meters = meters;
    }
  }

  /** One endpoint's request metrics; the remote address is not a label here (see {@link #UNSUPPORTED}). */
  private final class Endpoint implements ClientMetrics<Request, HttpRequest, HttpResponse> {

    @Override
    public Request requestBegin(String uri, HttpRequest request) {
      Request begun = new Request(method(request.method()));
      begun.meters.active.increment();
      begun.meters.requests.increment();
      return begun;
    }

    @Override
    public void requestEnd(Request request, long bytesWritten) {
      request.meters.requestBytes.record(bytesWritten);
      request.requestEnded = true;
      if (!request.reset && request.responseEnded) {
        request.meters.active.decrement();
      }
    }

    @Override
    public void requestReset(Request request) {
      request.meters.active.decrement();
      request.reset = true;
    }

    @Override
    public void responseBegin(Request request, HttpResponse response) {
      request.code = response.statusCode();
    }

    @Override
    public void responseEnd(Request request, long bytesRead) {
      request.responseEnded = true;
      if (!request.reset && request.requestEnded) {
        request.meters.active.decrement();
      }
      ResponseMeters meters = request.meters.byCode.of(request.code);
      meters.responses.increment();
      meters.responseTime.record(System.nanoTime() - request.startNanos, TimeUnit.NANOSECONDS);
      meters.responseBytes.record(bytesRead);
    }
  }

  /** One client's metrics; Vert.x's for its connections and WebSockets. */
  private final class Client extends ConnectionMetrics implements HttpClientMetrics<Request, Object, Object> {

    private final HttpClientMetrics<Object, Object, Object> vertx;
    private final Endpoint endpoint = new Endpoint();

    Client(HttpClientMetrics<Object, Object, Object> vertx) {
      super(vertx);
      this.vertx = vertx;
    }

    @Override
    public ClientMetrics<Request, HttpRequest, HttpResponse> createEndpointMetrics(SocketAddress remoteAddress,
        int maxPoolSize) {
      return endpoint;
    }

    @Override
    public Object connected(WebSocket webSocket) {
      return vertx.connected(webSocket);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      vertx.disconnected(webSocketMetric);
    }
  }
}
