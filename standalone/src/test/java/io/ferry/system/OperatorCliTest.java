package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.AdminModule;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryCli;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.contracts.testkit.Futures;
import io.ferry.gateway.GatewayModule;
import io.ferry.messaging.MessagingModule;
import io.ferry.standalone.StandaloneConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator commands run against a real in-process Ferry (admin and messaging) over HTTP. */
class OperatorCliTest {

  private static final String KEY = "operator-cli-test-bootstrap-key-0123456789";
  private static final HttpJson http = new HttpJson(KEY);

  private static Path dataDir;
  private static FerryNode node;
  private static String base;
  private static String queueId;

  record Result(int code, String out, String err) {
  }

  @BeforeAll
  static void startFerry() throws Exception {
    dataDir = Files.createTempDirectory("ferry-cli-");
    StandaloneConfig config = StandaloneConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("storage.data-dir"), dataDir.toString(),
        ConfigReader.envName("auth.bootstrap-key"), KEY,
        ConfigReader.envName("webhooks.allow-list"), "127.0.0.0/8")));
    node = Futures.await(FerryNode.startLocal("Ferry CLI test", config.node(), List.of(
        AdminModule.create(config.admin()), MessagingModule.create(config.messaging()),
        GatewayModule.create(config.gateway()))), Duration.ofSeconds(60));
    base = "http://127.0.0.1:" + node.httpPort();
    String cf = base + "/client/v4/accounts/" + SkeletonFlow.accountId(http, base);
    HttpJson.Reply created = http.post(cf + "/queues", new JsonObject().put("queue_name", "cli-orders"));
    assertEquals(200, created.status(), created::toString);
    queueId = created.result().getString("queue_id");
  }

  @AfterAll
  static void stopFerry() throws Exception {
    if (node != null) {
      Futures.await(node.stop(), Duration.ofSeconds(30));
    }
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static Result cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new FerryCli<Object>(env, reader -> null, config -> null)
        .run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private static Result ferry(String... args) {
    return cli(Map.of("FERRY_URL", base, "FERRY_KEY", KEY), args);
  }

  @Test
  void pushThenPeekShowsTheMessageByQueueName() {
    Result pushed = ferry("messages", "push", "cli-orders", "{\"order\":42}");
    assertEquals(0, pushed.code(), pushed::toString);
    Result peeked = ferry("messages", "peek", "cli-orders", "--count", "5", "--json");
    assertEquals(0, peeked.code(), peeked::toString);
    JsonArray messages = new JsonArray(peeked.out().strip());
    assertTrue(messages.stream().anyMatch(m -> new JsonObject().put("order", 42)
        .equals(((JsonObject) m).getValue("data"))), peeked::toString);
  }

  @Test
  void lsListsTheQueueAndStatsFindsItById() {
    Result listed = ferry("queues", "ls", "--json");
    assertEquals(0, listed.code(), listed::toString);
    assertTrue(new JsonArray(listed.out().strip()).stream()
        .anyMatch(q -> queueId.equals(((JsonObject) q).getString("id"))), listed::toString);
    Result table = ferry("queues", "ls");
    assertTrue(table.out().contains("cli-orders"), table::toString);
    Result stats = ferry("queues", "stats", queueId, "--json");
    assertEquals(0, stats.code(), stats::toString);
    assertEquals(queueId, new JsonObject(stats.out().strip()).getString("id"), stats::toString);
  }

  @Test
  void unknownQueueExitsThree() {
    Result result = ferry("queues", "stats", "no-such-queue");
    assertEquals(3, result.code(), result::toString);
    assertTrue(result.err().contains("no-such-queue"), result::toString);
  }

  @Test
  void badKeyExitsFourWithoutEchoingIt() {
    Result result = cli(Map.of("FERRY_URL", base), "queues", "ls", "--key", "wrong-key-value");
    assertEquals(4, result.code(), result::toString);
    assertFalse(result.err().contains("wrong-key-value"), result::toString);
  }

  @Test
  void badUsageExitsTwo() {
    assertEquals(2, ferry("messages", "peek").code());
    assertEquals(2, ferry("messages", "peek", "cli-orders", "--count", "zero").code());
  }

  @Test
  void serverDownExitsOneWithOneLine() {
    Result result = cli(Map.of("FERRY_URL", "http://127.0.0.1:1", "FERRY_KEY", KEY), "queues", "ls");
    assertEquals(1, result.code(), result::toString);
    assertEquals(1, result.err().strip().lines().count(), result::toString);
    assertTrue(result.err().contains("cannot reach Ferry at http://127.0.0.1:1"), result::toString);
  }

  @Test
  void tailPrintsAMessagePushedAfterItStarted() throws Exception {
    CompletableFuture<Result> tail = CompletableFuture.supplyAsync(
        () -> ferry("tail", "cli-orders", "--max", "1", "--json"));
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      assertEquals(0, ferry("messages", "push", "cli-orders", "{\"tailed\":true}").code());
      return tail.isDone();
    });
    Result result = tail.get(1, TimeUnit.SECONDS);
    assertEquals(0, result.code(), result::toString);
    JsonObject frame = new JsonObject(result.out().strip());
    assertTrue(frame.getLong("sequence") >= 0, result::toString);
    assertTrue(frame.encode().contains("tailed"), result::toString);
  }

  @Test
  void keysCreatePrintsAKeyThatThenAuthenticates() {
    Result created = ferry("keys", "create", "--name", "cli-made", "--json");
    assertEquals(0, created.code(), created::toString);
    JsonObject key = new JsonObject(created.out().strip());
    String secret = key.getString("key", key.getString("api_key"));
    assertTrue(secret != null && !secret.isBlank(), created::toString);
    Result listed = cli(Map.of("FERRY_URL", base, "FERRY_KEY", secret), "queues", "ls", "--json");
    assertEquals(0, listed.code(), listed::toString);
  }

  @Test
  void listenersLsShowsAListenerCreatedOnTheQueue() throws Exception {
    HttpJson.Reply created = http.post(base + "/v1/queues/" + queueId + "/listeners", new JsonObject()
        .put("name", "cli-billing").put("notify_url", "http://127.0.0.1:9/hook")
        .put("liveness_url", "http://127.0.0.1:9/health"));
    assertTrue(created.status() / 100 == 2, created::toString);
    Result listed = ferry("listeners", "ls", "cli-orders");
    assertEquals(0, listed.code(), listed::toString);
    assertTrue(listed.out().contains("http://127.0.0.1:9/hook"), listed::toString);
    Result unknown = ferry("listeners", "ls", "no-such-queue");
    assertEquals(3, unknown.code(), unknown::toString);
  }
}
