package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenancy isolation through every dialect: with account B's credentials nothing of account A can be read,
 * changed or even detected, by id or by name. Account A's resources are built first through all three
 * APIs; then every route is tried with B's key; finally A checks that nothing of its own changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyIT {

  private static final String ROOT_KEY = "fry_tenancy-test-root-key-0123456789";

  @TempDir
  static Path dir;
  private FerryProcess ferry;
  private String base;
  private HttpJson a;
  private HttpJson b;
  private String accountA;
  private String accountB;
  private String cfQueueA;
  private String consumerA;
  private String discueQueueA;
  private String listenerA;
  private String messageA;
  private String keyIdA;
  private String subscriptionA;
  private final List<String> violations = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    ferry = FerryProcess.start("tenancy", "ferry.standalone.jar", dir.resolve("t"), Ports.free(),
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", ROOT_KEY, "FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8"))
        .awaitReady(Duration.ofSeconds(60));
    base = ferry.baseUrl();
    a = new HttpJson(ROOT_KEY);
    accountA = a.get(base + "/client/v4/accounts").object().getJsonArray("result").getJsonObject(0)
        .getString("id");
    HttpJson.Reply client = a.post(base + "/v1/api_clients", new JsonObject().put("name", "tenant-b"));
    assertEquals(200, client.status(), client::toString);
    accountB = client.object().getJsonObject("api_client").getString("id");
    b = new HttpJson(client.object().getString("api_key"));
    buildAccountA();
  }

  @AfterAll
  void stop() throws Exception {
    ferry.close();
  }

  private void buildAccountA() throws Exception {
    String cf = base + "/client/v4/accounts/" + accountA;
    cfQueueA = ok(a.post(cf + "/queues", new JsonObject().put("queue_name", "orders"))).result()
        .getString("queue_id");
    consumerA = ok(a.post(cf + "/queues/" + cfQueueA + "/consumers", new JsonObject().put("type", "http_pull")))
        .result().getString("consumer_id");
    ok(a.post(cf + "/queues/" + cfQueueA + "/messages", new JsonObject().put("body", "a-secret")));
    subscriptionA = ok(a.post(cf + "/event_subscriptions/subscriptions", new JsonObject()
        .put("name", "audit").put("enabled", true).put("source", new JsonObject().put("type", "ferry.queues"))
        .put("destination", new JsonObject().put("type", "queues.queue").put("queue_id", cfQueueA))
        .put("events", new JsonArray().add("queue.created")))).result().getString("id");
    discueQueueA = ok(a.post(base + "/v1/queues", new JsonObject().put("name", "invoices")))
        .object().getJsonObject("queue").getString("id");
    listenerA = ok(a.post(base + "/v1/queues/" + discueQueueA + "/listeners", new JsonObject()
        .put("name", "billing").put("notify_url", "http://127.0.0.1:9/hook")
        .put("liveness_url", "http://127.0.0.1:9/live"))).object().getJsonObject("listener").getString("id");
    messageA = ok(a.post(base + "/v1/queues/" + discueQueueA + "/messages", new JsonObject()
        .put("name", "inv-1").put("data", "a-secret"))).object().getJsonObject("message").getString("id");
    keyIdA = ok(a.post(base + "/v1/api_keys", new JsonObject().put("name", "ci")))
        .object().getJsonObject("api_key").getString("id");
    ok(a.post(base + "/queue/create/chat", null));
    ok(a.post(base + "/queue/send/chat", new JsonObject().put("id", "room-1").put("payload", "a-secret")));
  }

  @Test
  void cloudflareRoutesOfAnotherAccountAreForbiddenAndItsQueuesInvisible() throws Exception {
    String foreign = base + "/client/v4/accounts/" + accountA;
    expect(403, b.get(foreign + "/queues"), "B lists A's queues via A's account path");
    expect(403, b.get(foreign + "/queues/" + cfQueueA), "B reads A's queue via A's account path");
    expect(403, b.post(foreign + "/queues/" + cfQueueA + "/messages/pull", new JsonObject()), "B pulls via A's path");

    String own = base + "/client/v4/accounts/" + accountB + "/queues/" + cfQueueA;
    JsonObject settings = new JsonObject().put("queue_name", "stolen");
    expect(404, b.get(own), "GET queue by id");
    expect(404, b.send("PUT", own, settings), "PUT queue");
    expect(404, b.send("PATCH", own, settings), "PATCH queue");
    expect(404, b.send("DELETE", own, null), "DELETE queue");
    expect(404, b.get(own + "/metrics"), "metrics");
    expect(404, b.post(own + "/purge", new JsonObject().put("delete_messages_permanently", true)), "purge");
    expect(404, b.get(own + "/purge"), "purge status");
    expect(404, b.get(own + "/consumers"), "list consumers");
    expect(404, b.post(own + "/consumers", new JsonObject().put("type", "http_pull")), "create consumer");
    expect(404, b.get(own + "/consumers/" + consumerA), "GET consumer");
    expect(404, b.send("PUT", own + "/consumers/" + consumerA, new JsonObject().put("type", "http_pull")),
        "PUT consumer");
    expect(404, b.send("DELETE", own + "/consumers/" + consumerA, null), "DELETE consumer");
    expect(404, b.post(own + "/messages", new JsonObject().put("body", "x")), "push");
    expect(404, b.post(own + "/messages/batch", new JsonObject().put("messages",
        new JsonArray().add(new JsonObject().put("body", "x")))), "batch");
    expect(404, b.post(own + "/messages/pull", new JsonObject()), "pull");
    expect(404, b.post(own + "/messages/peek", new JsonObject()), "peek");
    expect(404, b.post(own + "/messages/ack", new JsonObject().put("acks", new JsonArray())), "ack");

    String subscriptions = base + "/client/v4/accounts/" + accountB + "/event_subscriptions/subscriptions";
    expect(404, b.get(subscriptions + "/" + subscriptionA), "GET A's event subscription");
    expect(404, b.send("PATCH", subscriptions + "/" + subscriptionA, new JsonObject().put("enabled", false)),
        "PATCH A's event subscription");
    expect(404, b.send("DELETE", subscriptions + "/" + subscriptionA, null), "DELETE A's event subscription");
    expect(404, b.post(subscriptions, new JsonObject().put("name", "spy").put("enabled", true)
        .put("source", new JsonObject().put("type", "ferry.queues"))
        .put("destination", new JsonObject().put("type", "queues.queue").put("queue_id", cfQueueA))
        .put("events", new JsonArray().add("queue.created"))), "subscribe into A's queue");
    JsonArray visibleSubscriptions = b.get(subscriptions).object().getJsonArray("result");
    assertTrue(visibleSubscriptions.isEmpty(), "B sees event subscriptions: " + visibleSubscriptions);

    JsonArray accounts = b.get(base + "/client/v4/accounts").object().getJsonArray("result");
    assertEquals(1, accounts.size(), accounts::encode);
    assertEquals(accountB, accounts.getJsonObject(0).getString("id"));
    JsonArray bQueues = b.get(base + "/client/v4/accounts/" + accountB + "/queues").object().getJsonArray("result");
    assertFalse(bQueues.encode().contains(cfQueueA), bQueues::encode);
    assertNoViolations();
  }

  @Test
  void discueRoutesNeverRevealAnotherAccountsResources() throws Exception {
    String queue = base + "/v1/queues/" + discueQueueA;
    expect(404, b.get(queue), "GET queue");
    expect(404, b.send("PUT", queue, new JsonObject().put("name", "stolen")), "PUT queue");
    expect(404, b.send("DELETE", queue, null), "DELETE queue");
    expect(404, b.get(queue + "/listeners"), "list listeners");
    expect(404, b.post(queue + "/listeners", new JsonObject().put("name", "spy")
        .put("notify_url", "http://127.0.0.1:9/x").put("liveness_url", "http://127.0.0.1:9/y")), "add listener");
    expect(404, b.get(queue + "/listeners/" + listenerA), "GET listener");
    expect(404, b.send("PUT", queue + "/listeners/" + listenerA, new JsonObject().put("name", "x")), "PUT listener");
    expect(404, b.post(queue + "/listeners/" + listenerA + "/secret/rotate", null), "rotate secret");
    expect(404, b.post(queue + "/listeners/" + listenerA + "/redeliver", new JsonObject()), "redeliver");
    expect(404, b.send("DELETE", queue + "/listeners/" + listenerA, null), "DELETE listener");
    expect(404, b.get(queue + "/messages"), "list messages");
    expect(404, b.post(queue + "/messages", new JsonObject().put("data", "x")), "push message");
    expect(404, b.get(queue + "/messages/" + messageA), "GET message");
    expect(404, b.send("DELETE", queue + "/messages/" + messageA, null), "DELETE message");
    expect(404, b.get(base + "/v1/api_keys/" + keyIdA), "GET A's api key");
    expect(404, b.send("PUT", base + "/v1/api_keys/" + keyIdA, new JsonObject().put("status", "disabled")),
        "disable A's api key");
    expect(404, b.send("DELETE", base + "/v1/api_keys/" + keyIdA, null), "DELETE A's api key");
    expect(404, b.get(base + "/v1/api_clients/" + accountA), "GET account A");

    String everything = b.get(base + "/v1/queues").toString() + b.get(base + "/v1/listeners")
        + b.get(base + "/v1/messages") + b.get(base + "/v1/api_keys") + b.get(base + "/v1/events?limit=100")
        + b.get(base + "/v1/api_clients");
    for (String secret : List.of(cfQueueA, discueQueueA, listenerA, messageA, keyIdA, accountA, "invoices",
        "orders", "billing", "a-secret")) {
      assertFalse(everything.contains(secret), "B's lists reveal " + secret + ": " + everything);
    }
    assertNoViolations();
  }

  @Test
  void sameNamesInAnotherAccountAreIndependent() throws Exception {
    // A 409/422 here would tell B that A has a queue called so.
    ok(b.post(base + "/client/v4/accounts/" + accountB + "/queues", new JsonObject().put("queue_name", "orders")));
    ok(b.post(base + "/v1/queues", new JsonObject().put("name", "invoices")));
    ok(b.post(base + "/queue/create/chat", null));
    ok(b.post(base + "/queue/send/chat", new JsonObject().put("id", "room-1").put("payload", "b-message")));
    HttpJson.Reply replay = b.get(base + "/queue/listen/longpoll/chat?sequence=first&timeout_ms=200");
    assertEquals(200, replay.status(), replay::toString);
    assertFalse(replay.toString().contains("a-secret"), replay::toString);
    assertTrue(replay.toString().contains("b-message"), replay::toString);
    assertAccountAUnchanged();
  }

  @Test
  void sonyaRoutesActOnlyOnTheCallersOwnQueues() throws Exception {
    String queue = "only-in-a";
    ok(a.post(base + "/queue/create/" + queue, null));
    ok(a.post(base + "/queue/send/" + queue, new JsonObject().put("id", "k").put("payload", "a-secret")));
    expect(404, b.post(base + "/queue/send/" + queue, new JsonObject().put("id", "k").put("payload", 1)), "send");
    expect(404, b.get(base + "/queue/listen/longpoll/" + queue + "?sequence=first&timeout_ms=100"), "longpoll");
    expect(404, b.post(base + "/queue/generate_jwt/" + queue + "/k", null), "generate_jwt");
    b.post(base + "/queue/delete/" + queue + "/k", null);
    b.post(base + "/queue/close/" + queue, null);
    HttpJson.Reply stillThere = a.get(base + "/queue/listen/longpoll/" + queue + "?sequence=first&timeout_ms=100");
    assertEquals(200, stillThere.status(), stillThere::toString);
    assertTrue(stillThere.toString().contains("a-secret"), "B's close/delete touched A's queue: " + stillThere);
    assertNoViolations();
  }

  private void assertAccountAUnchanged() throws Exception {
    String cf = base + "/client/v4/accounts/" + accountA + "/queues/" + cfQueueA;
    assertEquals("orders", ok(a.get(cf)).result().getString("queue_name"));
    assertEquals(1, ok(a.get(cf + "/consumers")).object().getJsonArray("result").size());
    assertTrue(ok(a.get(base + "/v1/queues/" + discueQueueA + "/listeners/" + listenerA)).toString()
        .contains("billing"));
    assertTrue(ok(a.get(base + "/v1/queues/" + discueQueueA + "/messages/" + messageA)).toString()
        .contains("a-secret"));
    assertEquals("enabled", ok(a.get(base + "/v1/api_keys/" + keyIdA)).object().getJsonObject("api_key")
        .getString("status"));
  }

  private void expect(int status, HttpJson.Reply reply, String what) {
    if (reply.status() != status) {
      violations.add(what + ": expected " + status + ", got " + reply);
    }
  }

  private void assertNoViolations() throws Exception {
    List<String> found = List.copyOf(violations);
    violations.clear();
    assertTrue(found.isEmpty(), String.join("\n", found));
    assertAccountAUnchanged();
  }

  private static HttpJson.Reply ok(HttpJson.Reply reply) {
    assertTrue(reply.status() == 200 || reply.status() == 201, reply::toString);
    return reply;
  }
}
