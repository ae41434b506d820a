package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.MetricsScrape;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's HTTP server series are those vertx-micrometer-metrics serves on its own: the same requests against
 * a server with Vert.x's own HTTP server metrics and one with {@link NodeMetrics} give the same
 * {@code vertx_http_server_*} lines in the scrape (names, help, types, labels and values; only times differ).
 */
class HttpRequestMetersTest {

  private static final Pattern TIMED =
      Pattern.compile("^(vertx_http_server_(response_time_seconds_(sum|max)|[a-z_]+_created)\\{?[^ ]*) .*$");
  // Connection-level bytes are Vert.x's own meters in both; they are compared by presence only.
  private static final Pattern BYTES = Pattern.compile("^(vertx_http_server_bytes_(read|written)_total\\{?[^ ]*) .*$");

  private static Served vertxOwn;
  private static Served ferry;
  private static Vertx client;

  private record Served(String registryName, Vertx vertx, HttpServer server) {

    int port() {
      return server.actualPort();
    }

    String scrape() {
      return ((PrometheusMeterRegistry) BackendRegistries.getNow(registryName)).scrape();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertxOwn = serve("vertx-own-http-metrics", new MicrometerMetricsFactory());
    ferry = serve("ferry-http-metrics", NodeMetrics.factory());
    client = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    for (Served served : List.of(vertxOwn, ferry)) {
      if (served != null) {
        await(served.vertx().close());
      }
    }
    if (client != null) {
      await(client.close());
    }
  }

  private static Served serve(String registryName, VertxMetricsFactory metrics) throws Exception {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(NodeMetrics.options()
        .setJvmMetricsEnabled(false).setRegistryName(registryName))).withMetrics(metrics).build();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    router.get("/things/:id").handler(ctx -> ctx.json(Map.of("id", ctx.pathParam("id"))));
    router.post("/things/:id").handler(ctx -> ctx.response().setStatusCode(201).end(ctx.body().buffer()));
    router.get("/fails").handler(ctx -> ctx.fail(409));
    router.get("/hangs").handler(ctx -> { });
    Router sub = Router.router(vertx);
    sub.get("/items/:item").handler(ctx -> ctx.end("item " + ctx.pathParam("item")));
    router.route("/sub/*").subRouter(sub);
    router.get("/ws").handler(ctx -> ctx.request().toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage)));
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return new Served(registryName, vertx, server);
  }

  @Test
  void theHttpServerSeriesAreThoseVertxServes() throws Exception {
    for (Served served : List.of(vertxOwn, ferry)) {
      exercise(served);
    }
    for (Served served : List.of(vertxOwn, ferry)) {
      Awaitility.await(served.registryName() + " settled").atMost(Duration.ofSeconds(20)).until(() -> {
        MetricsScrape scrape = MetricsScrape.of(served.scrape());
        return scrape.valueOr("vertx_http_server_request_resets_total", Map.of("method", "GET"), 0) == 1
            && scrape.valueOr("vertx_http_server_active_requests", Map.of("method", "GET"), -1) == 0
            && scrape.valueOr("vertx_http_server_active_connections", Map.of(), -1) == 0
            && scrape.valueOr("vertx_http_server_active_ws_connections", Map.of(), -1) == 0;
      });
    }
    String expected = httpServerLines(vertxOwn.scrape());
    String actual = httpServerLines(ferry.scrape());
    assertEquals(expected, actual);
    MetricsScrape scrape = MetricsScrape.of(ferry.scrape());
    assertEquals(2, scrape.valueOr("vertx_http_server_requests_total",
        Map.of("method", "GET", "code", "200", "route", "/things/:id"), 0));
    assertEquals(1, scrape.valueOr("vertx_http_server_requests_total",
        Map.of("method", "POST", "code", "201", "route", "/things/:id"), 0));
    assertEquals(1, scrape.valueOr("vertx_http_server_requests_total",
        Map.of("method", "GET", "code", "404", "route", ""), 0));
    assertEquals(1, scrape.valueOr("vertx_http_server_requests_total",
        Map.of("method", "GET", "code", "409", "route", "/fails"), 0));
    assertEquals(5, scrape.valueOr("vertx_http_server_request_bytes_sum", Map.of("method", "POST"), 0));
    assertEquals(2, scrape.valueOr("vertx_http_server_response_time_seconds_count",
        Map.of("method", "GET", "code", "200", "route", "/things/:id"), 0));
  }

  @Test
  void aConnectionAcceptedWithoutASocketMetricIsCountedNowhereAndNothingThrows() {
    // Vert.x's net server creates its metrics after the bind: a client connecting in between has no socket
    // metric, and vertx-micrometer-metrics threw on its response's bytes, leaving the request open.
    HttpServerMetrics<?, ?, ?> metrics = ((VertxInternal) ferry.vertx()).metrics()
        .createHttpServerMetrics(new HttpServerOptions(), SocketAddress.inetSocketAddress(7, "127.0.0.7"));
    SocketAddress client = SocketAddress.inetSocketAddress(40_000, "127.0.0.1");
    metrics.bytesRead(null, client, 100);
    metrics.bytesWritten(null, client, 200);
    metrics.exceptionOccurred(null, client, new IllegalStateException("reset"));
    assertNull(metrics.connected(null, null, null));
    metrics.disconnected(null);
    metrics.disconnected(null, client);
  }

  /** The same requests, one connection each, as raw bytes so that both servers read exactly the same. */
  private static void exercise(Served served) throws Exception {
    int port = served.port();
    for (String request : List.of(
        "GET /things/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /things/b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "POST /things/c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        "GET /nowhere/at/all HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /fails HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /sub/items/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
      try (RawSocket socket = new RawSocket(port)) {
        assertTrue(socket.send(request).readUntilClosed().startsWith("HTTP/1.1 "));
      }
    }
    // A request the client gives up on before the answer: a reset.
    try (RawSocket socket = new RawSocket(port)) {
      socket.send("GET /hangs HTTP/1.1\r\nHost: x\r\n\r\n");
      Awaitility.await("the hanging request began").atMost(Duration.ofSeconds(10)).until(() ->
          MetricsScrape.of(served.scrape()).valueOr("vertx_http_server_active_requests", Map.of("method", "GET"), 0) == 1);
    }
    WebSocketClient sockets = client.createWebSocketClient();
    try {
      var ws = await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")));
      await(ws.close());
    } finally {
      await(sockets.close());
    }
  }

  private static String httpServerLines(String scrape) {
    return scrape.lines().filter(line -> line.contains("vertx_http_server_"))
        .map(line -> TIMED.matcher(line).replaceAll("$1 <time>"))
        .map(line -> BYTES.matcher(line).replaceAll("$1 <bytes>"))
        .sorted().collect(Collectors.joining("\n"));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
