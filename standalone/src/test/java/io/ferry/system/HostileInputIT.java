package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Malformed and hostile input: 0 server errors, 0 crashes, every error in its dialect's format" (TARGETS.md),
 * against the real standalone jar. Every route the process lists in {@code /openapi.yaml} gets seeded hostile
 * requests (see {@link HostileRequests}); every answer is judged by {@link HostileVerdict}; afterwards the
 * process must still be ready and serve a normal push, pull and ack. Seed: {@code -Dferry.fuzz.seed=N}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

  private static final String KEY = "fry_hostile-input-root-key-0123456789";
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final long SEED = Long.getLong("ferry.fuzz.seed", 0x5EED_F022L);
  /** Routes of the three dialects and the extensions: the served contract must list them all. */
  private static final List<String> DOCUMENTED = List.of(
      "GET /client/v4/accounts", "GET /accounts",
      "POST /client/v4/accounts/{account_id}/queues", "GET /client/v4/accounts/{account_id}/queues",
      "GET /client/v4/accounts/{account_id}/queues/{queue_id}", "PUT /client/v4/accounts/{account_id}/queues/{queue_id}",
      "PATCH /client/v4/accounts/{account_id}/queues/{queue_id}",
      "DELETE /client/v4/accounts/{account_id}/queues/{queue_id}",
      "GET /client/v4/accounts/{account_id}/queues/{queue_id}/metrics",
      "POST /client/v4/accounts/{account_id}/queues/{queue_id}/purge",
      "GET /client/v4/accounts/{account_id}/queues/{queue_id}/purge",
      "POST /client/v4/accounts/{account_id}/queues/{queue_id}/consumers",
      "GET /client/v4/accounts/{account_id}/queues/{queue_id}/consumers",
      "GET /client/v4/accounts/{account_id}/queues/{queue_id}/consumers/{consumer_id}",
      "PUT /client/v4/accounts/{account_id}/queues/{queue_id}/consumers/{consumer_id}",
      "DELETE /client/v4/accounts/{account_id}/queues/{queue_id}/consumers/{consumer_id}",
      "POST /client/v4/accounts/{account_id}/queues/{queue_id}/messages",
      "POST /client/v4/accounts/{account_id}/queues/{queue_id}/messages/batch",
      "POST /client/v4/accounts/{account_id}/queues/{queue_id}/messages/pull",
      "POST /client/v4/accounts/{account_id}/queues/{queue_id}/messages/ack",
      "POST /client/v4/accounts/{account_id}/queues/{queue_id}/messages/peek",
      "POST /client/v4/accounts/{account_id}/queues/{queue_id}/messages/purge",
      "POST /client/v4/accounts/{account_id}/event_subscriptions/subscriptions",
      "GET /client/v4/accounts/{account_id}/event_subscriptions/subscriptions",
      "GET /client/v4/accounts/{account_id}/event_subscriptions/subscriptions/{subscription_id}",
      "PATCH /client/v4/accounts/{account_id}/event_subscriptions/subscriptions/{subscription_id}",
      "DELETE /client/v4/accounts/{account_id}/event_subscriptions/subscriptions/{subscription_id}",
      "POST /accounts/{account_id}/queues/{queue_id}/purge", "GET /accounts/{account_id}/queues/{queue_id}/purge",
      "POST /v1/queues", "GET /v1/queues", "GET /v1/queues/{queue_id}", "PUT /v1/queues/{queue_id}",
      "DELETE /v1/queues/{queue_id}", "POST /v1/queues/{queue_id}/listeners", "GET /v1/queues/{queue_id}/listeners",
      "GET /v1/listeners", "GET /v1/queues/{queue_id}/listeners/{listener_id}",
      "PUT /v1/queues/{queue_id}/listeners/{listener_id}", "DELETE /v1/queues/{queue_id}/listeners/{listener_id}",
      "POST /v1/queues/{queue_id}/listeners/{listener_id}/secret/rotate",
      "POST /v1/queues/{queue_id}/listeners/{listener_id}/redeliver",
      "POST /v1/queues/{queue_id}/messages", "GET /v1/queues/{queue_id}/messages", "GET /v1/messages",
      "GET /v1/queues/{queue_id}/messages/{message_id}", "DELETE /v1/queues/{queue_id}/messages/{message_id}",
      "POST /v1/api_keys", "GET /v1/api_keys", "GET /v1/api_keys/{key_id}", "PUT /v1/api_keys/{key_id}",
      "DELETE /v1/api_keys/{key_id}", "GET /v1/events", "POST /v1/api_clients", "GET /v1/api_clients",
      "GET /v1/api_clients/{client_id}",
      "POST /queue/create/{queue}", "POST /queue/close/{queue}", "POST /queue/delete/{queue}/{id}",
      "POST /queue/send/{queue}", "GET /queue/listen/longpoll/{queue}", "GET /queue/listen/longpoll/{queue}/{id}",
      "GET /queue/listen/ws/{queue}", "GET /queue/listen/ws/{queue}/{id}", "POST /queue/generate_jwt/{queue}/{id}");

  @TempDir
  static Path dir;
  private FerryProcess ferry;
  private String base;
  private List<HostileRequests.Route> routes;
  private HostileRequests.Fixtures fixtures;

  @BeforeAll
  void start() throws Exception {
    ferry = FerryProcess.start("hostile", "ferry.standalone.jar", dir.resolve("h"), Ports.free(),
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY, "FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8",
            "FERRY_HTTP_MAX_BODY_BYTES", Integer.toString(MAX_BODY_BYTES)))
        .awaitReady(Duration.ofSeconds(60));
    base = ferry.baseUrl();
    routes = HostileRequests.routesOf(text(base + "/openapi.yaml")).stream()
        .filter(route -> !route.dialect().equals("ferry")).toList();
    fixtures = buildFixtures();
  }

  @AfterAll
  void stop() throws Exception {
    if (ferry != null) {
      ferry.close();
    }
  }

  @Test
  void theServedContractListsEveryDocumentedRoute() {
    TreeSet<String> served = routes.stream().map(HostileRequests.Route::toString)
        .collect(Collectors.toCollection(TreeSet::new));
    List<String> missing = DOCUMENTED.stream().filter(route -> !served.contains(route)).toList();
    assertTrue(missing.isEmpty(), "routes served but missing from /openapi.yaml (so not fuzzed): " + missing);
  }

  @Test
  void hostileRequestsGetNoServerErrorAndErrorsInTheirDialectsFormat() throws Exception {
    fuzz(SEED, 80, 4);
  }

  @Test
  @Tag("slow")
  void twentyTimesMoreHostileRequests() throws Exception {
    fuzz(SEED, 1600, 80);
  }

  private void fuzz(long seed, int perRoute, int oversizedPerDialect) throws Exception {
    HostileRequests generator = new HostileRequests(new Random(seed), fixtures, MAX_BODY_BYTES);
    List<HostileRequests.Hostile> requests = new ArrayList<>();
    for (int round = 0; round < perRoute; round++) {
      for (HostileRequests.Route route : routes) {
        requests.add(generator.next(route));
      }
    }
    Random pick = new Random(seed ^ 0x413);
    for (String dialect : List.of("cloudflare", "discue", "sonya")) {
      List<HostileRequests.Route> ofDialect = routes.stream().filter(r -> r.dialect().equals(dialect)).toList();
      for (int i = 0; i < oversizedPerDialect; i++) {
        requests.add(pick.nextInt(requests.size()), generator.oversized(ofDialect.get(pick.nextInt(ofDialect.size()))));
      }
    }
    // What deletes the fixtures goes last, so the other requests reach real resources.
    requests.sort(Comparator.comparing(HostileRequests.Hostile::destructive));

    HostileVerdict verdict = new HostileVerdict();
    int logBefore = ferry.output().length();
    long started = System.nanoTime();
    int staleRetries;
    try (RawHttp trusted = new RawHttp("127.0.0.1", ferry.httpPort(), 15_000);
        RawHttp strangers = new RawHttp("127.0.0.1", ferry.httpPort(), 15_000)) {
      int strange = 0;
      for (HostileRequests.Hostile request : requests) {
        RawHttp http = trusted;
        if (request.oddHeaders()) {
          // Failed logins throttle their client address (429 for all its requests for a minute): requests with
          // odd credentials come from other loopback addresses, ten each, so the rest is judged unthrottled.
          int alias = strange++ / 10;
          strangers.bindTo("127.1." + (alias / 250) % 250 + "." + (alias % 250 + 1));
          http = strangers;
        }
        verdict.judge(request, http.exchange(request.head(), request.body(), request.method(), request.closeAfter()));
      }
      staleRetries = trusted.staleRetries() + strangers.staleRetries();
    }
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    System.out.println(verdict.summary(seed, elapsedMs) + "(requests re-sent on a fresh connection after the "
        + "server closed a kept-alive one: " + staleRetries + ")");
    verdict.findings().forEach(line -> System.out.println("  " + line));

    // An exception the client never saw (a failed callback, an unanswered request) shows in the log.
    List<String> logged = ferry.output().substring(logBefore).lines()
        .filter(line -> line.contains(" ERROR ") || line.contains("Unhandled exception")).toList();
    logged.stream().limit(20).forEach(line -> System.out.println("  server log: " + line));
    assertTrue(ferry.isAlive(), "the process died:\n" + ferry.output());
    assertTrue(verdict.findings().isEmpty(), verdict.findings().size() + " kinds of failure (seed " + seed + "):\n  "
        + String.join("\n  ", verdict.findings()));
    assertTrue(logged.isEmpty(), () -> logged.size() + " errors in the server log during the run, e.g. "
        + logged.get(0));
    assertEquals(200, new HttpJson(null).get(base + "/health/ready").status(), "not ready after the run");
    normalTrafficStillWorks();
  }

  private void normalTrafficStillWorks() throws Exception {
    HttpJson http = new HttpJson(KEY);
    String queues = base + "/client/v4/accounts/" + fixtures.own().get("account_id") + "/queues";
    String queueId = ok(http.post(queues, new JsonObject().put("queue_name", "after-" + System.nanoTime())))
        .result().getString("queue_id");
    ok(http.post(queues + "/" + queueId + "/consumers", new JsonObject().put("type", "http_pull")));
    ok(http.post(queues + "/" + queueId + "/messages", new JsonObject().put("body", "still-here")));
    JsonArray messages = ok(http.post(queues + "/" + queueId + "/messages/pull",
        new JsonObject().put("batch_size", 10))).result().getJsonArray("messages");
    assertEquals(1, messages.size(), messages::encode);
    String lease = messages.getJsonObject(0).getString("lease_id");
    JsonObject acked = ok(http.post(queues + "/" + queueId + "/messages/ack",
        new JsonObject().put("acks", new JsonArray().add(new JsonObject().put("lease_id", lease))))).result();
    assertEquals(1, acked.getInteger("ackCount"), acked::encode);
  }

  private HostileRequests.Fixtures buildFixtures() throws Exception {
    HttpJson a = new HttpJson(KEY);
    HttpJson.Reply client = ok(a.post(base + "/v1/api_clients", new JsonObject().put("name", "hostile-b")));
    String keyB = client.object().getString("api_key");
    HttpJson b = new HttpJson(keyB);
    Map<String, String> own = resources(a, a.get(base + "/client/v4/accounts").object().getJsonArray("result")
        .getJsonObject(0).getString("id"));
    Map<String, String> foreign = resources(b, client.object().getJsonObject("api_client").getString("id"));
    ok(b.post(base + "/queue/create/fz-only-b", null));
    foreign.put("queue", "fz-only-b");
    return new HostileRequests.Fixtures(KEY, keyB, own, foreign);
  }

  // One of everything a path can name, in the account of `http`.
  private Map<String, String> resources(HttpJson http, String account) throws Exception {
    Map<String, String> ids = new HashMap<>();
    ids.put("account_id", account);
    ids.put("client_id", account);
    String cf = base + "/client/v4/accounts/" + account;
    String queueId = ok(http.post(cf + "/queues", new JsonObject().put("queue_name", "fz-main"))).result()
        .getString("queue_id");
    ids.put("queue_id", queueId);
    ids.put("queue", "fz-main");
    ids.put("id", "k");
    ids.put("consumer_id", ok(http.post(cf + "/queues/" + queueId + "/consumers",
        new JsonObject().put("type", "http_pull"))).result().getString("consumer_id"));
    ids.put("subscription_id", ok(http.post(cf + "/event_subscriptions/subscriptions", new JsonObject()
        .put("name", "fz-sub").put("enabled", true).put("source", new JsonObject().put("type", "ferry.queues"))
        .put("destination", new JsonObject().put("type", "queues.queue").put("queue_id", queueId))
        .put("events", new JsonArray().add("queue.created")))).result().getString("id"));
    ids.put("listener_id", ok(http.post(base + "/v1/queues/" + queueId + "/listeners", new JsonObject()
        .put("name", "fz-listener").put("notify_url", "http://127.0.0.1:9/hook")
        .put("liveness_url", "http://127.0.0.1:9/live"))).object().getJsonObject("listener").getString("id"));
    ids.put("message_id", ok(http.post(base + "/v1/queues/" + queueId + "/messages",
        new JsonObject().put("name", "k").put("data", "hello"))).object().getJsonObject("message").getString("id"));
    ids.put("key_id", ok(http.post(base + "/v1/api_keys", new JsonObject().put("name", "fz-key")))
        .object().getJsonObject("api_key").getString("id"));
    JsonObject schema = new JsonObject().put("type", "object").put("props", new JsonObject()
        .put("n", new JsonObject().put("type", "integer").put("min", 0).put("max", 10))
        .put("s", new JsonObject().put("type", "string").put("pattern", "^(a|aa)+$").put("max", 64))
        .put("l", new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "number"))));
    ids.put("schema_queue_id", ok(http.post(base + "/v1/queues", new JsonObject().put("name", "fz-schema")
        .put("schema", schema))).object().getJsonObject("queue").getString("id"));
    ids.put("schema_queue", "fz-schema");
    ok(http.post(cf + "/queues/" + queueId + "/messages", new JsonObject().put("body", "peeked")));
    ids.put("ref", ok(http.post(cf + "/queues/" + queueId + "/messages/peek", new JsonObject().put("batch_size", 1)))
        .result().getJsonArray("messages").getJsonObject(0).getString("ref"));
    ids.put("lease_id", ok(http.post(cf + "/queues/" + queueId + "/messages/pull",
        new JsonObject().put("batch_size", 1).put("visibility_timeout_ms", 60_000))).result()
        .getJsonArray("messages").getJsonObject(0).getString("lease_id"));
    return ids;
  }

  private static HttpJson.Reply ok(HttpJson.Reply reply) {
    assertTrue(reply.status() >= 200 && reply.status() < 300, reply::toString);
    return reply;
  }

  private static String text(String url) throws Exception {
    // HTTP/1.1 and a deadline, as in HttpJson: the JDK client's h2c upgrade once hung in CI.
    return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
  }
}
