package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.MetricsScrape;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.spi.VertxMetricsFactory;
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
 * A node's HTTP client series are those vertx-micrometer-metrics serves on its own: the same requests sent by
 * a client with Vert.x's own HTTP client metrics and by one with {@link NodeMetrics} give the same
 * {@code vertx_http_client_*} lines in the scrape (names, help, types, labels and values; only times differ).
 */
class HttpClientRequestMetersTest {

  private static final Pattern TIMED =
      Pattern.compile("^(vertx_http_client_(response_time_seconds_(sum|max)|[a-z_]+_created)\\{?[^ ]*) .*$");
  // Connection-level bytes are Vert.x's own meters in both; they are compared by presence only.
  private static final Pattern BYTES = Pattern.compile("^(vertx_http_client_bytes_(read|written)_total\\{?[^ ]*) .*$");

  private static Sender vertxOwn;
  private static Sender ferry;
  private static Vertx serverVertx;
  private static HttpServer server;

  private record Sender(String registryName, Vertx vertx) {

    String scrape() {
      return ((PrometheusMeterRegistry) BackendRegistries.getNow(registryName)).scrape();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    serverVertx = Vertx.vertx();
    server = await(serverVertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
        .requestHandler(request -> {
          switch (request.path()) {
            case "/ok" -> request.response().end("fine");
            case "/created" -> request.body().onSuccess(body -> request.response().setStatusCode(201).end(body));
            case "/hangs" -> { }
            case "/drops" -> request.connection().close();
            default -> request.response().setStatusCode(404).end();
          }
        }).listen(0, "127.0.0.1"));
    vertxOwn = sender("vertx-own-http-client-metrics", new MicrometerMetricsFactory());
    ferry = sender("ferry-http-client-metrics", NodeMetrics.factory());
  }

  @AfterAll
  static void stop() throws Exception {
    for (Sender sender : List.of(vertxOwn, ferry)) {
      if (sender != null) {
        await(sender.vertx().close());
      }
    }
    if (serverVertx != null) {
      await(serverVertx.close());
    }
  }

  private static Sender sender(String registryName, VertxMetricsFactory metrics) {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(NodeMetrics.options()
        .setJvmMetricsEnabled(false).setRegistryName(registryName))).withMetrics(metrics).build();
    return new Sender(registryName, vertx);
  }

  @Test
  void theHttpClientSeriesAreThoseVertxServes() throws Exception {
    for (Sender sender : List.of(vertxOwn, ferry)) {
      exercise(sender);
    }
    for (Sender sender : List.of(vertxOwn, ferry)) {
      Awaitility.await(sender.registryName() + " settled").atMost(Duration.ofSeconds(20)).until(() -> {
        MetricsScrape scrape = MetricsScrape.of(sender.scrape());
        return scrape.valueOr("vertx_http_client_active_requests", Map.of("method", "GET"), -1) == 0
            && scrape.valueOr("vertx_http_client_active_connections", Map.of(), -1) == 0
            && scrape.valueOr("vertx_http_client_active_ws_connections", Map.of(), -1) == 0;
      });
    }
    String expected = httpClientLines(vertxOwn.scrape());
    String actual = httpClientLines(ferry.scrape());
    assertEquals(expected, actual);
    MetricsScrape scrape = MetricsScrape.of(ferry.scrape());
    assertEquals(5, scrape.valueOr("vertx_http_client_requests_total", Map.of("method", "GET"), 0));
    assertEquals(2, scrape.valueOr("vertx_http_client_requests_total", Map.of("method", "POST"), 0));
    assertEquals(2, scrape.valueOr("vertx_http_client_responses_total", Map.of("method", "GET", "code", "200"), 0));
    assertEquals(1, scrape.valueOr("vertx_http_client_responses_total", Map.of("method", "GET", "code", "404"), 0));
    assertEquals(2, scrape.valueOr("vertx_http_client_responses_total", Map.of("method", "POST", "code", "201"), 0));
    assertEquals(12, scrape.valueOr("vertx_http_client_request_bytes_sum", Map.of("method", "POST"), 0));
    assertEquals(12, scrape.valueOr("vertx_http_client_response_bytes_sum", Map.of("method", "POST", "code", "201"), 0));
    assertEquals(2, scrape.valueOr("vertx_http_client_response_time_seconds_count",
        Map.of("method", "GET", "code", "200"), 0));
  }

  /** The same requests in the same order: answered, not found, with a body, reset, dropped; then a WebSocket. */
  private static void exercise(Sender sender) throws Exception {
    HttpClient client = sender.vertx().createHttpClient();
    try {
      assertEquals(200, send(client, HttpMethod.GET, "/ok", null).statusCode());
      assertEquals(200, send(client, HttpMethod.GET, "/ok", null).statusCode());
      assertEquals(404, send(client, HttpMethod.GET, "/missing", null).statusCode());
      assertEquals(201, send(client, HttpMethod.POST, "/created", "hello").statusCode());
      assertEquals(201, send(client, HttpMethod.POST, "/created", "goodbye").statusCode());
      HttpClientRequest hanging = await(client.request(options(HttpMethod.GET, "/hangs")));
      await(hanging.end());
      Awaitility.await("the hanging request is sent").atMost(Duration.ofSeconds(10)).until(() ->
          MetricsScrape.of(sender.scrape()).valueOr("vertx_http_client_active_requests", Map.of("method", "GET"), 0) == 1);
      await(hanging.reset());
      HttpClientRequest dropped = await(client.request(options(HttpMethod.GET, "/drops")));
      Future<HttpClientResponse> dropping = dropped.send();
      Awaitility.await("the dropped request failed").atMost(Duration.ofSeconds(10)).until(dropping::isComplete);
      assertTrue(dropping.failed());
    } finally {
      await(client.close());
    }
    WebSocketClient sockets = sender.vertx().createWebSocketClient();
    try {
      var ws = await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort())
          .setURI("/ws")));
      await(ws.close());
    } finally {
      await(sockets.close());
    }
  }

  private static HttpClientResponse send(HttpClient client, HttpMethod method, String path, String body)
      throws Exception {
    return await(client.request(options(method, path)).compose(request -> (body == null ? request.send()
        : request.send(Buffer.buffer(body))).compose(response -> response.body().map(response))));
  }

  private static RequestOptions options(HttpMethod method, String path) {
    return new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.actualPort()).setURI(path);
  }

  private static String httpClientLines(String scrape) {
    return scrape.lines().filter(line -> line.contains("vertx_http_client_"))
        .map(line -> TIMED.matcher(line).replaceAll("$1 <time>"))
        .map(line -> BYTES.matcher(line).replaceAll("$1 <bytes>"))
        .sorted().collect(Collectors.joining("\n"));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
