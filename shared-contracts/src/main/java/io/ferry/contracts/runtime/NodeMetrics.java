package io.ferry.contracts.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;

/**
 * A node's metrics: vertx-micrometer-metrics with Prometheus, except that the per-request meters of HTTP
 * servers and clients are {@link HttpRequestMeters} and {@link HttpClientRequestMeters}, which serve the same
 * series (names, labels, help) from meters looked up once per method, route and status instead of once per
 * meter and request.
 *
 * <p>Why: Vert.x's own HTTP metrics build tag lists and look a meter up in the registry five times per
 * request (an active-requests gauge re-registered, the request size, then the count, time and response size
 * under the route and status): 7–8 % of a push's CPU on the server side, 4–6 % of a webhook delivery's on the
 * client side. Connection, WebSocket, event-bus, TCP client and pool meters stay Vert.x's own.
 */
public final class NodeMetrics {

  private NodeMetrics() {
  }

  /** What every node serves on {@code /metrics}. */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        // The route label is the matched route's template (bounded by the routes served), never the raw path.
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE,
            Label.POOL_NAME, Label.EB_SIDE))
        .setEnabled(true);
  }

  public static VertxMetricsFactory factory() {
    return new Factory();
  }

  private static final class Factory implements VertxMetricsFactory {

    private final MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory();

    @Override
    public VertxMetrics metrics(VertxOptions vertxOptions) {
      VertxMetrics vertx = micrometer.metrics(vertxOptions);
      MicrometerMetricsOptions options = vertxOptions.getMetricsOptions() instanceof MicrometerMetricsOptions given
          ? given : new MicrometerMetricsOptions(vertxOptions.getMetricsOptions().toJson());
      MeterRegistry registry = BackendRegistries.getNow(options.getRegistryName());
      HttpRequestMeters served = HttpRequestMeters.of(registry, options);
      HttpClientRequestMeters sent = HttpClientRequestMeters.of(registry, options);
      return served == null && sent == null ? vertx : new WithRequestMeters(vertx, served, sent);
    }

    @Override
    public MetricsOptions newOptions() {
      return micrometer.newOptions();
    }

    @Override
    public MetricsOptions newOptions(MetricsOptions options) {
      return micrometer.newOptions(options);
    }

    @Override
    public MetricsOptions newOptions(JsonObject json) {
      return micrometer.newOptions(json);
    }
  }

  /** Vert.x's metrics, with the HTTP servers' and clients' request meters replaced where not null. */
  private record WithRequestMeters(VertxMetrics vertx, HttpRequestMeters served, HttpClientRequestMeters sent)
      implements VertxMetrics {

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> connections = vertx.createHttpServerMetrics(options, localAddress);
      return connections == null || served == null ? connections : served.over(connections);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return vertx.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return vertx.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      HttpClientMetrics<?, ?, ?> connections = vertx.createHttpClientMetrics(options);
      return connections == null || sent == null ? connections : sent.over(connections);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return vertx.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return vertx.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return vertx.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return vertx.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(io.vertx.core.Vertx created) {
      vertx.vertxCreated(created);
    }

    @Override
    public boolean isMetricsEnabled() {
      return vertx.isMetricsEnabled();
    }

    @Override
    public void close() {
      vertx.close();
    }
  }
}
