package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.AdminModule;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.MetricsScrape;
import io.ferry.contracts.testkit.WebhookReceiver;
import io.ferry.dispatcher.DispatcherModule;
import io.ferry.messaging.MessagingModule;
import io.ferry.standalone.StandaloneConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shipped in docs/grafana names only metrics a real Ferry serves: admin, messaging and
 * the dispatcher run in-process, a short run pushes, pulls and acks and delivers a webhook to a local
 * receiver, and every metric the dashboard's PromQL names must then be in {@code /metrics}.
 */
class DashboardMetricsTest {

  private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "ferry-dashboard.json");
  private static final String KEY = "dashboard-test-bootstrap-key-0123456789";
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right", "offset", "bool", "and", "or", "unless");

  private static Path dataDir;
  private static FerryNode node;
  private static WebhookReceiver receiver;
  private static String base;
  private static final HttpJson http = new HttpJson(KEY);

  @BeforeAll
  static void startFerry() throws Exception {
    dataDir = Files.createTempDirectory("ferry-dashboard-");
    StandaloneConfig config = StandaloneConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("storage.data-dir"), dataDir.toString(),
        ConfigReader.envName("auth.bootstrap-key"), KEY,
        ConfigReader.envName("webhooks.allow-list"), "127.0.0.0/8",
        ConfigReader.envName("dispatcher.lease-wait-ms"), "200")));
    node = Futures.await(FerryNode.startLocal("Ferry dashboard test", config.node(), List.of(
        AdminModule.create(config.admin()), MessagingModule.create(config.messaging()),
        DispatcherModule.create(config.dispatcher()))), Duration.ofSeconds(60));
    base = "http://127.0.0.1:" + node.httpPort();
    receiver = WebhookReceiver.started();
  }

  @AfterAll
  static void stopFerry() throws Exception {
    if (receiver != null) {
      receiver.close();
    }
    if (node != null) {
      Futures.await(node.stop(), Duration.ofSeconds(30));
    }
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void everyMetricTheDashboardNamesIsServedAfterAShortRun() throws Exception {
    String cf = base + "/client/v4/accounts/" + SkeletonFlow.accountId(http, base);
    String pulled = createQueue(cf, "dashboard-pull");
    assertEquals(200, http.post(cf + "/queues/" + pulled + "/consumers", new JsonObject().put("type", "http_pull"))
        .status());
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 3; i++) {
      batch.add(new JsonObject().put("body", new JsonObject().put("n", i)));
    }
    assertEquals(200, http.post(cf + "/queues/" + pulled + "/messages/batch", new JsonObject()
        .put("messages", batch)).status());
    awaitSeries("ferry_queue_backlog_messages", Map.of("queue", pulled), 3);
    JsonArray leased = http.post(cf + "/queues/" + pulled + "/messages/pull", new JsonObject()
        .put("batch_size", 10)).result().getJsonArray("messages");
    assertEquals(3, leased.size());
    JsonArray acks = new JsonArray();
    leased.forEach(m -> acks.add(new JsonObject().put("lease_id", ((JsonObject) m).getString("lease_id"))));
    assertEquals(200, http.post(cf + "/queues/" + pulled + "/messages/ack", new JsonObject().put("acks", acks))
        .status());
    awaitSeries("ferry_queue_backlog_messages", Map.of("queue", pulled), 0);
    assertEquals(3, scrape().valueOr("ferry_queue_messages_acked_total", Map.of("queue", pulled), -1));

    String hooked = createQueue(cf, "dashboard-webhook");
    HttpJson.Reply listener = http.post(base + "/v1/queues/" + hooked + "/listeners", new JsonObject()
        .put("name", "dashboard").put("notify_url", receiver.hookUrl()).put("liveness_url", receiver.livenessUrl()));
    assertEquals(200, listener.status(), listener::toString);
    String listenerId = listener.object().getJsonObject("listener").getString("id");
    assertEquals(200, http.post(cf + "/queues/" + hooked + "/messages", new JsonObject().put("body", "hi"))
        .status());
    awaitSeries("ferry_webhook_attempts_total", Map.of("listener", listenerId, "outcome", "2xx"), 1);
    awaitSeries("ferry_queue_messages_acked_total", Map.of("queue", hooked), 1);

    Set<String> named = dashboardMetricNames();
    assertTrue(named.containsAll(Set.of("ferry_queue_backlog_messages", "ferry_webhook_attempts_total",
        "ferry_webhook_attempt_duration_seconds_bucket")), "names read from the dashboard: " + named);
    Set<String> missing = new TreeSet<>(named);
    missing.removeAll(scrape().names());
    assertTrue(missing.isEmpty(), "the dashboard names metrics /metrics does not serve: " + missing);
  }

  @Test
  void httpRequestsAreCountedByRouteTemplateNeverByRawPath() throws Exception {
    String cf = base + "/client/v4/accounts/" + SkeletonFlow.accountId(http, base);
    String queue = createQueue(cf, "route-labels");
    assertEquals(200, http.post(cf + "/queues/" + queue + "/messages", new JsonObject().put("body", "x")).status());
    assertEquals(404, http.post(cf + "/queues/" + "0".repeat(32) + "/messages", new JsonObject().put("body", "x"))
        .status());

    String push = "/client/v4/accounts/:account_id/queues/:queue_id/messages";
    Awaitility.await("push counted under its route template").atMost(Duration.ofSeconds(10)).until(() ->
        scrape().valueOr("vertx_http_server_requests_total",
            Map.of("route", push, "method", "POST", "code", "200"), 0) >= 1);
    String httpSeries = http.client().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body().lines()
        .filter(line -> line.startsWith("vertx_http_server")).collect(Collectors.joining("\n"));
    assertTrue(httpSeries.contains("route=\"" + push + "\""), httpSeries);
    assertFalse(httpSeries.contains(queue), "a queue id appears in an HTTP series: " + httpSeries);
    assertFalse(httpSeries.contains("0".repeat(32)), "a requested path appears in an HTTP series");
  }

  private static String createQueue(String cf, String name) throws Exception {
    HttpJson.Reply created = http.post(cf + "/queues", new JsonObject().put("queue_name", name));
    assertEquals(200, created.status(), created::toString);
    return created.result().getString("queue_id");
  }

  private static void awaitSeries(String name, Map<String, String> labels, double expected) {
    Awaitility.await(name + labels).atMost(Duration.ofSeconds(20))
        .until(() -> scrape().valueOr(name, labels, -1) == expected);
  }

  private static MetricsScrape scrape() throws Exception {
    HttpResponse<String> response = http.client().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return MetricsScrape.of(response.body());
  }

  /** Every metric named by a panel's query or a template variable's query. */
  private static Set<String> dashboardMetricNames() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    Set<String> names = new HashSet<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) panel).getJsonArray("targets", new JsonArray());
      targets.forEach(target -> names.addAll(metricNames(((JsonObject) target).getString("expr"))));
    }
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      String definition = ((JsonObject) variable).getString("definition");
      Matcher labelValues = definition == null ? null : Pattern.compile("label_values\\(([^,)]+)").matcher(definition);
      if (labelValues != null && labelValues.find()) {
        names.add(labelValues.group(1).trim());
      }
    }
    return names;
  }

  // What is left of an expression without its strings, label matchers, ranges and grouping clauses, and
  // without function names and keywords, is the metric names.
  private static Set<String> metricNames(String expr) {
    String bare = expr.replaceAll("\"[^\"]*\"", "")
        .replaceAll("\\{[^}]*\\}", " ")
        .replaceAll("\\[[^]]*\\]", " ")
        .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
    Set<String> names = new HashSet<>();
    Matcher matcher = IDENTIFIER.matcher(bare);
    while (matcher.find()) {
      String word = matcher.group();
      boolean isFunction = bare.substring(matcher.end()).stripLeading().startsWith("(");
      if (!isFunction && !PROMQL_WORDS.contains(word)) {
        names.add(word);
      }
    }
    return names;
  }
}
