package io.ferry.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two admin instances on one PostgreSQL database, with messaging (on the same database), a dispatcher and a
 * gateway, each its own JVM from its fat jar, clustered over Hazelcast, each on its own HTTP port. Whichever
 * admin instance a request reaches, the answer is the same: what one created the other shows at once and the
 * other services act on (also messaging started again, reconciling from either), the database picks one winner
 * when both create the same name, a key revoked on one is refused everywhere within the documented bound
 * (docs/auth.md), tokens one issues are accepted by all, and both report the same listener liveness.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresClusterIT {

  static final String KEY = "fry_pg-cluster-test-key-0123456789abcdef";
  static final Duration REVOCATION_BOUND = Duration.ofSeconds(1);
  static final Duration ARRIVAL = Duration.ofSeconds(20);
  static final int RACES = 10;

  @TempDir
  static Path dir;
  FerryCluster cluster;
  ScriptedReceiver receiver;
  final SimultaneousRequests racers = new SimultaneousRequests();
  Admin adminA;
  Admin adminB;
  String messaging;
  String gateway;
  final HttpJson root = new HttpJson(KEY);

  /** One admin instance's base URL and the root account's Cloudflare prefix on it. */
  record Admin(String name, String base, String cf) {
  }

  @BeforeAll
  void startCluster() throws Exception {
    receiver = new ScriptedReceiver();
    PostgresConfig database = TestPostgres.shared().freshSchema();
    Map<String, String> storage = Map.of(
        "FERRY_STORAGE_KIND", "postgres",
        "FERRY_STORAGE_POSTGRES_URL", TestPostgres.shared().url(),
        "FERRY_STORAGE_POSTGRES_PASSWORD", database.password(),
        "FERRY_STORAGE_POSTGRES_SCHEMA", database.schema());
    cluster = FerryCluster.start(dir, KEY, List.of(
        new FerryCluster.Node("admin-a", "ferry.admin.jar", adminEnv(storage, "admin-a")),
        new FerryCluster.Node("admin-b", "ferry.admin.jar", adminEnv(storage, "admin-b")),
        new FerryCluster.Node("messaging", "ferry.messaging.jar", storage),
        // Compares its listeners with admin's list several times a second, so the list is asked of both
        // instances over and over while the tests run.
        new FerryCluster.Node("dispatcher", "ferry.dispatcher.jar",
            Map.of("FERRY_DISPATCHER_RECONCILE_INTERVAL_MS", "250")),
        new FerryCluster.Node("gateway", "ferry.gateway.jar")));
    // Admin's instances show they share the database by answering alike; messaging says where its store is.
    assertTrue(cluster.process("messaging").output().contains("message store open on PostgreSQL"),
        () -> "messaging is not on PostgreSQL:\n" + cluster.process("messaging").output());
    messaging = cluster.process("messaging").baseUrl();
    gateway = cluster.process("gateway").baseUrl();
    String account = SkeletonFlow.accountId(root, cluster.process("admin-a").baseUrl());
    assertEquals(account, SkeletonFlow.accountId(root, cluster.process("admin-b").baseUrl()),
        "both instances started on the empty database and agreed on one default account");
    adminA = admin("admin-a", account);
    adminB = admin("admin-b", account);
  }

  // Each instance has a data directory of its own, as on separate machines, and the secrets key a deployment's
  // Secret would give every instance.
  private static Map<String, String> adminEnv(Map<String, String> storage, String name) {
    Map<String, String> env = new HashMap<>(storage);
    env.put("FERRY_STORAGE_DATA_DIR", dir.resolve(name + "-data").toString());
    env.put("FERRY_STORAGE_SECRETS_KEY", "pg-cluster-secrets-key-0123456789abcdef");
    return env;
  }

  private Admin admin(String name, String account) {
    String base = cluster.process(name).baseUrl();
    return new Admin(name, base, base + "/client/v4/accounts/" + account);
  }

  @AfterAll
  void stopCluster() throws Exception {
    racers.close();
    if (cluster != null) {
      cluster.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void createsAndDeletesOnEitherAdminAreSeenByTheOtherAndServedEndToEnd() throws Exception {
    HttpJson.Reply queue = root.post(adminA.cf() + "/queues", new JsonObject().put("queue_name", "spread-cf"));
    assertEquals(200, queue.status(), queue::toString);
    String queueId = queue.result().getString("queue_id");
    HttpJson.Reply queueOnB = root.get(adminB.cf() + "/queues/" + queueId);
    assertEquals(200, queueOnB.status(), queueOnB::toString);
    assertEquals("spread-cf", queueOnB.result().getString("queue_name"));

    HttpJson.Reply consumer = root.post(adminB.cf() + "/queues/" + queueId + "/consumers", new JsonObject()
        .put("type", "http_pull").put("settings", new JsonObject().put("batch_size", 10)));
    assertEquals(200, consumer.status(), consumer::toString);
    String consumerId = consumer.result().getString("consumer_id");
    assertEquals(List.of(consumerId), consumerIds(adminA, queueId));

    HttpJson.Reply listener = root.post(adminB.base() + "/v1/queues/" + queueId + "/listeners", new JsonObject()
        .put("name", "spread").put("notify_url", receiver.hookUrl("spread"))
        .put("liveness_url", receiver.livenessUrl("spread")));
    assertEquals(200, listener.status(), listener::toString);
    String listenerUrl = "/v1/queues/" + queueId + "/listeners"
        + "/" + listener.object().getJsonObject("listener").getString("id");
    HttpJson.Reply listenerOnA = root.get(adminA.base() + listenerUrl);
    assertEquals(200, listenerOnA.status(), listenerOnA::toString);
    assertEquals(receiver.hookUrl("spread"), listenerOnA.object().getJsonObject("listener").getString("notify_url"));

    HttpJson.Reply discueQueue = root.post(adminB.base() + "/v1/queues", new JsonObject().put("name", "spread-discue"));
    assertEquals(200, discueQueue.status(), discueQueue::toString);
    String discueQueueId = discueQueue.object().getJsonObject("queue").getString("id");
    HttpJson.Reply discueQueueOnA = root.get(adminA.cf() + "/queues/" + discueQueueId);
    assertEquals(200, discueQueueOnA.status(), discueQueueOnA::toString);
    assertEquals("spread-discue", discueQueueOnA.result().getString("queue_name"));
    HttpJson.Reply discueConsumer = root.post(adminA.cf() + "/queues/" + discueQueueId + "/consumers",
        new JsonObject().put("type", "http_pull"));
    assertEquals(200, discueConsumer.status(), discueConsumer::toString);
    assertEquals(List.of(discueConsumer.result().getString("consumer_id")), consumerIds(adminB, discueQueueId));

    // Served end to end: a queue admin A created takes pushes, is followed live through the gateway and pulled
    // through the consumer admin B added; the listener admin B added gets the webhook.
    String queuePath = "/client/v4/accounts/" + account() + "/queues/" + queueId;
    JsonObject payload = new JsonObject().put("spread", "across admins");
    try (LiveSubscriber live = LiveSubscriber.connect(root.client(),
        gateway.replace("http://", "ws://") + "/queue/listen/ws/spread-cf?access_token=" + KEY)) {
      push(queuePath, payload);
      JsonObject frame = live.next(ARRIVAL);
      assertEquals(payload, frame.getJsonObject("payload"), frame::encode);
    }
    await("the listener added on admin B gets the webhook").atMost(ARRIVAL).pollInterval(Duration.ofMillis(100))
        .until(() -> receiver.deliveries("spread").size(), n -> n >= 1);
    assertEquals(payload, receiver.deliveries("spread").get(0).json().getJsonObject("data"));
    assertEquals(List.of(payload), pullAndAck(queuePath, 1));
    // And the queue admin B created takes pushes and is pulled through the consumer admin A added.
    String discuePath = "/client/v4/accounts/" + account() + "/queues/" + discueQueueId;
    JsonObject other = new JsonObject().put("created", "on admin B");
    push(discuePath, other);
    assertEquals(List.of(other), pullAndAck(discuePath, 1));

    // Deletes, each on the instance that did not create the thing, seen at once on the other.
    assertEquals(200, root.send("DELETE", adminA.cf() + "/queues/" + queueId + "/consumers/" + consumerId, null)
        .status());
    assertEquals(List.of(), consumerIds(adminB, queueId));
    assertEquals(200, root.send("DELETE", adminA.base() + listenerUrl, null).status());
    assertEquals(404, root.get(adminB.base() + listenerUrl).status());
    assertEquals(200, root.send("DELETE", adminB.cf() + "/queues/" + queueId, null).status());
    assertEquals(404, root.get(adminA.cf() + "/queues/" + queueId).status());
    assertEquals(200, root.send("DELETE", adminA.base() + "/v1/queues/" + discueQueueId, null).status());
    assertEquals(404, root.get(adminB.base() + "/v1/queues/" + discueQueueId).status());
    await("messaging no longer serves the deleted queues").atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> root.post(messaging + queuePath + "/messages", new JsonObject().put("body", "late")).status()
            == 404 && root.post(messaging + discuePath + "/messages", new JsonObject().put("body", "late")).status()
            == 404);
  }

  @Test
  void messagingRestartedReconcilesWhatEitherAdminCreated() throws Exception {
    HttpJson.Reply queueOfA = root.post(adminA.cf() + "/queues", new JsonObject().put("queue_name", "topology-a"));
    assertEquals(200, queueOfA.status(), queueOfA::toString);
    String queueOfAId = queueOfA.result().getString("queue_id");
    assertEquals(200, root.post(adminB.cf() + "/queues/" + queueOfAId + "/consumers",
        new JsonObject().put("type", "http_pull")).status());
    HttpJson.Reply listener = root.post(adminB.base() + "/v1/queues/" + queueOfAId + "/listeners", new JsonObject()
        .put("name", "topology").put("notify_url", receiver.hookUrl("topology"))
        .put("liveness_url", receiver.livenessUrl("topology")));
    assertEquals(200, listener.status(), listener::toString);
    HttpJson.Reply queueOfB = root.post(adminB.base() + "/v1/queues", new JsonObject().put("name", "topology-b"));
    assertEquals(200, queueOfB.status(), queueOfB::toString);
    String queueOfBId = queueOfB.object().getJsonObject("queue").getString("id");
    assertEquals(200, root.post(adminA.cf() + "/queues/" + queueOfBId + "/consumers",
        new JsonObject().put("type", "http_pull")).status());
    String pathA = "/client/v4/accounts/" + account() + "/queues/" + queueOfAId;
    String pathB = "/client/v4/accounts/" + account() + "/queues/" + queueOfBId;
    push(pathA, new JsonObject().put("before", "restart"));
    push(pathB, new JsonObject().put("before", "restart"));

    // Started again, messaging takes the queues and subscriptions from the snapshot of whichever admin
    // instance answers; it is ready only once it has.
    cluster.restart("messaging");

    push(pathA, new JsonObject().put("after", "restart"));
    push(pathB, new JsonObject().put("after", "restart"));
    for (String path : List.of(pathA, pathB)) {
      assertEquals(Set.of(new JsonObject().put("before", "restart"), new JsonObject().put("after", "restart")),
          Set.copyOf(pullAndAck(path, 2)));
    }
    await("the listener added on admin B is served after the restart").atMost(ARRIVAL)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> receiver.deliveries("topology").stream().map(d -> d.json().getJsonObject("data")).toList(),
            data -> data.contains(new JsonObject().put("after", "restart")));
  }

  @Test
  void concurrentCreatesOfOneNameOnBothAdminsHaveExactlyOneWinner() throws Exception {
    for (int round = 0; round < RACES; round++) {
      String name = "race-" + round;
      boolean cloudflare = round % 2 == 0;
      List<HttpJson.Reply> answers = race(admin -> cloudflare
          ? root.post(admin.cf() + "/queues", new JsonObject().put("queue_name", name))
          : root.post(admin.base() + "/v1/queues", new JsonObject().put("name", name)));
      HttpJson.Reply winner = SimultaneousRequests.onlySuccess(answers, "the creates of " + name);
      HttpJson.Reply loser = other(answers, winner);
      String queueId;
      if (cloudflare) {
        queueId = winner.result().getString("queue_id");
        assertEquals(409, loser.status(), loser::toString);
        assertEquals(11001, loser.object().getJsonArray("errors").getJsonObject(0).getInteger("code"),
            loser::toString);
      } else {
        queueId = winner.object().getJsonObject("queue").getString("id");
        assertEquals(422, loser.status(), loser::toString);
        assertEquals(422, loser.object().getInteger("status"), loser::toString);
      }
      for (Admin admin : List.of(adminA, adminB)) {
        assertEquals(List.of(queueId), queueIdsNamed(admin, name), admin.name() + " lists one " + name);
      }

      // A queue has one consumer of a type, however many instances are asked at once.
      List<HttpJson.Reply> consumers = race(admin -> root.post(admin.cf() + "/queues/" + queueId + "/consumers",
          new JsonObject().put("type", "http_pull")));
      HttpJson.Reply consumerWinner = SimultaneousRequests.onlySuccess(consumers, "the creates of " + name
          + "'s consumer");
      HttpJson.Reply consumerLoser = other(consumers, consumerWinner);
      assertEquals(409, consumerLoser.status(), consumerLoser::toString);
      assertEquals(11002, consumerLoser.object().getJsonArray("errors").getJsonObject(0).getInteger("code"),
          consumerLoser::toString);
      for (Admin admin : List.of(adminA, adminB)) {
        assertEquals(List.of(consumerWinner.result().getString("consumer_id")), consumerIds(admin, queueId),
            admin.name() + " lists one consumer of " + name);
      }
    }
  }

  @Test
  void aKeyDisabledOnOneAdminIsRefusedEverywhereWithinTheBound() throws Exception {
    String queueName = "revocation-disable";
    KeyInUse key = newKey(adminA, queueName);
    key.assertAcceptedEverywhere();

    HttpJson.Reply disabled = root.send("PUT", adminB.base() + "/v1/api_keys/" + key.id(),
        new JsonObject().put("status", "disabled"));
    long answeredAt = System.nanoTime();
    assertEquals(200, disabled.status(), disabled::toString);
    key.awaitRefusedEverywhere(REVOCATION_BOUND, answeredAt);
  }

  @Test
  void aKeyDeletedOnOneAdminIsRefusedEverywhereWithinTheBound() throws Exception {
    String queueName = "revocation-delete";
    KeyInUse key = newKey(adminB, queueName);
    key.assertAcceptedEverywhere();

    HttpJson.Reply deleted = root.send("DELETE", adminA.base() + "/v1/api_keys/" + key.id(), null);
    long answeredAt = System.nanoTime();
    assertEquals(200, deleted.status(), deleted::toString);
    key.awaitRefusedEverywhere(REVOCATION_BOUND, answeredAt);
  }

  @Test
  void sonyaTokensIssuedByEitherAdminAreAcceptedByTheGatewayAndTheOtherAdmin() throws Exception {
    assertEquals(201, root.post(adminB.base() + "/queue/create/tokens", null).status());
    HttpJson.Reply sent = root.post(messaging + "/queue/send/tokens",
        new JsonObject().put("id", "alice").put("payload", new JsonObject().put("for", "alice")));
    assertEquals(200, sent.status(), sent::toString);

    for (Admin issuer : List.of(adminA, adminB)) {
      Admin other = issuer == adminA ? adminB : adminA;
      HttpJson.Reply issued = root.post(issuer.base() + "/queue/generate_jwt/tokens/alice", null);
      assertEquals(200, issued.status(), issued::toString);
      String token = issued.object().getString("token");

      HttpJson.Reply polled = new HttpJson(token)
          .get(gateway + "/queue/listen/longpoll/tokens/alice?sequence=first&timeout_ms=0");
      assertEquals(200, polled.status(), () -> "token of " + issuer.name() + " at the gateway: " + polled);
      assertEquals(new JsonObject().put("for", "alice"), polled.array().getJsonObject(0).getJsonObject("payload"));
      try (LiveSubscriber live = LiveSubscriber.connect(root.client(), gateway.replace("http://", "ws://")
          + "/queue/listen/ws/tokens/alice?sequence=first&access_token=" + token)) {
        assertEquals("alice", live.next(ARRIVAL).getString("id"));
      }

      // The other instance verifies the token itself: it knows who is asking (403: a listen token may not
      // issue tokens) where a token it cannot verify is not authenticated at all (401).
      HttpJson.Reply atOther = new HttpJson(token).post(other.base() + "/queue/generate_jwt/tokens/alice", null);
      assertEquals(403, atOther.status(), () -> "token of " + issuer.name() + " at " + other.name() + ": " + atOther);
      HttpJson.Reply forged = new HttpJson(forge(token))
          .post(other.base() + "/queue/generate_jwt/tokens/alice", null);
      assertEquals(401, forged.status(), forged::toString);
    }
  }

  @Test
  void listenerLivenessReadsTheSameOnBothAdmins() throws Exception {
    receiver.live("liveness-down", false);
    HttpJson.Reply queue = root.post(adminA.cf() + "/queues", new JsonObject().put("queue_name", "liveness"));
    assertEquals(200, queue.status(), queue::toString);
    String queueId = queue.result().getString("queue_id");
    for (String name : List.of("liveness-up", "liveness-down")) {
      Admin creator = name.endsWith("up") ? adminA : adminB;
      HttpJson.Reply listener = root.post(creator.base() + "/v1/queues/" + queueId + "/listeners", new JsonObject()
          .put("name", name).put("notify_url", receiver.hookUrl(name)).put("liveness_url", receiver.livenessUrl(name)));
      assertEquals(200, listener.status(), listener::toString);
      String url = "/v1/queues/" + queueId + "/listeners/" + listener.object().getJsonObject("listener").getString("id");

      // A reading taken while a report is on its way may differ for a moment, so both are read until they agree
      // (checks are 30 s apart, so once they do, they stay so).
      JsonObject onA = await(name + " checked and read the same on both admins").atMost(ARRIVAL)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            JsonObject a = liveness(adminA, url);
            return a.getValue("checked_at") != null && a.equals(liveness(adminB, url)) ? a : null;
          }, agreed -> agreed != null);
      if (name.endsWith("up")) {
        assertEquals("stable", onA.getString("state"), onA::encode);
        assertTrue(onA.getInteger("success_count") >= 1, onA::encode);
      } else {
        assertTrue(onA.getInteger("failure_count") >= 1, onA::encode);
        assertEquals(503, onA.getInteger("last_failure_status"), onA::encode);
      }
    }
  }

  /** A key the root key made on {@code creator}, with a queue and a consumer of its own to use it on. */
  private KeyInUse newKey(Admin creator, String queueName) throws Exception {
    HttpJson.Reply created = root.post(creator.base() + "/v1/api_keys", new JsonObject().put("name", queueName));
    assertEquals(200, created.status(), created::toString);
    JsonObject key = created.object().getJsonObject("api_key");
    HttpJson http = new HttpJson(key.getString("key"));
    HttpJson.Reply queue = http.post(creator.cf() + "/queues", new JsonObject().put("queue_name", queueName));
    assertEquals(200, queue.status(), queue::toString);
    String queuePath = "/client/v4/accounts/" + account() + "/queues/" + queue.result().getString("queue_id");
    assertEquals(200, http.post(creator.base() + queuePath + "/consumers", new JsonObject().put("type", "http_pull"))
        .status());
    return new KeyInUse(key.getString("id"), key.getString("key"), messaging, gateway, creator.name(),
        creator.base(), queuePath, queueName);
  }

  /** The answers of admin A and admin B to the same request, sent to both at the same moment. */
  private List<HttpJson.Reply> race(SimultaneousRequests.Request<Admin> request) throws Exception {
    return racers.send(List.of(adminA, adminB), request);
  }

  private static HttpJson.Reply other(List<HttpJson.Reply> answers, HttpJson.Reply one) {
    return answers.get(answers.indexOf(one) == 0 ? 1 : 0);
  }

  private void push(String queuePath, JsonObject body) throws Exception {
    HttpJson.Reply pushed = root.post(messaging + queuePath + "/messages", new JsonObject().put("body", body));
    assertEquals(200, pushed.status(), pushed::toString);
  }

  /** Pulls the queue's {@code count} messages and acks them; their bodies. */
  private List<JsonObject> pullAndAck(String queuePath, int count) throws Exception {
    HttpJson.Reply pulled = root.post(messaging + queuePath + "/messages/pull", new JsonObject()
        .put("batch_size", 10).put("visibility_timeout_ms", 30_000));
    assertEquals(200, pulled.status(), pulled::toString);
    JsonArray messages = pulled.result().getJsonArray("messages");
    assertEquals(count, messages.size(), pulled::toString);
    List<JsonObject> bodies = new ArrayList<>();
    JsonArray acks = new JsonArray();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      bodies.add(new JsonObject(new String(Base64.getDecoder().decode(message.getString("body")),
          StandardCharsets.UTF_8)));
      acks.add(new JsonObject().put("lease_id", message.getString("lease_id")));
    }
    HttpJson.Reply acked = root.post(messaging + queuePath + "/messages/ack", new JsonObject().put("acks", acks));
    assertEquals(200, acked.status(), acked::toString);
    assertEquals(count, acked.result().getInteger("ackCount"), acked::toString);
    return bodies;
  }

  private List<String> consumerIds(Admin admin, String queueId) throws Exception {
    HttpJson.Reply consumers = root.get(admin.cf() + "/queues/" + queueId + "/consumers");
    assertEquals(200, consumers.status(), consumers::toString);
    JsonArray result = consumers.object().getJsonArray("result");
    return result.stream().map(c -> ((JsonObject) c).getString("consumer_id")).toList();
  }

  private List<String> queueIdsNamed(Admin admin, String name) throws Exception {
    HttpJson.Reply queues = root.get(admin.base() + "/v1/queues");
    assertEquals(200, queues.status(), queues::toString);
    return queues.object().getJsonArray("queues").stream().map(JsonObject.class::cast)
        .filter(queue -> name.equals(queue.getString("name"))).map(queue -> queue.getString("id")).toList();
  }

  private JsonObject liveness(Admin admin, String listenerUrl) throws Exception {
    HttpJson.Reply listener = root.get(admin.base() + listenerUrl);
    assertEquals(200, listener.status(), listener::toString);
    return listener.object().getJsonObject("listener").getJsonObject("liveness");
  }

  private String account() {
    return adminA.cf().substring(adminA.cf().lastIndexOf('/') + 1);
  }

  // The same header and claims under another signature: what a token from a different secret looks like.
  private static String forge(String token) {
    String signature = token.substring(token.lastIndexOf('.') + 1);
    char flipped = signature.charAt(0) == 'A' ? 'B' : 'A';
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + flipped + signature.substring(1);
    assertNotEquals(token, forged);
    return forged;
  }
}
