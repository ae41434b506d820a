package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.Ports;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone jar with {@code storage.kind=postgres}: the walking skeleton in all three dialects, and a
 * restart that keeps queues, messages, acks and Sonya sequences, the second process started in another
 * directory so that nothing can come from local disk.
 */
class PostgresStandaloneIT {

  static final String KEY = StandaloneIT.KEY;

  @TempDir
  Path dir;

  @Test
  void skeletonFlowEndToEnd() throws Exception {
    try (FerryProcess ferry = start("pg-skeleton", dir.resolve("skeleton"), env(PostgresStorage.freshSchema()))) {
      assertTrue(ferry.output().contains("Storage        PostgreSQL"), ferry.output());
      SkeletonFlow.run(SkeletonFlow.Endpoints.single(ferry.baseUrl()), KEY, "skeleton-postgres");
    }
  }

  @Test
  void aRestartKeepsQueuesMessagesAcksAndSonyaSequences() throws Exception {
    TestPostgres server = TestPostgres.shared();
    PostgresConfig pg = server.freshSchema();
    Map<String, String> env = env(PostgresStorage.env(server, pg));
    HttpJson http = new HttpJson(KEY);
    String queue;
    List<String> unacked = new ArrayList<>();
    try (FerryProcess first = start("pg-restart-1", dir.resolve("first"), env)) {
      String account = SkeletonFlow.accountId(http, first.baseUrl());
      HttpJson.Reply created = http.post(first.baseUrl() + "/client/v4/accounts/" + account + "/queues",
          new JsonObject().put("queue_name", "kept"));
      assertEquals(200, created.status(), created::toString);
      queue = "/client/v4/accounts/" + account + "/queues/" + created.result().getString("queue_id");
      HttpJson.Reply consumer = http.post(first.baseUrl() + queue + "/consumers", new JsonObject()
          .put("type", "http_pull").put("settings", new JsonObject().put("batch_size", 10)));
      assertEquals(200, consumer.status(), consumer::toString);
      for (String body : List.of("acked", "kept-1", "kept-2")) {
        HttpJson.Reply pushed = http.post(first.baseUrl() + queue + "/messages",
            new JsonObject().put("body", new JsonObject().put("m", body)));
        assertEquals(200, pushed.status(), pushed::toString);
      }
      JsonArray one = pull(http, first.baseUrl() + queue, 1);
      assertEquals(List.of("acked"), bodies(one));
      HttpJson.Reply acked = http.post(first.baseUrl() + queue + "/messages/ack", new JsonObject()
          .put("acks", new JsonArray().add(new JsonObject()
              .put("lease_id", one.getJsonObject(0).getString("lease_id")))));
      assertEquals(1, acked.result().getInteger("ackCount"), acked::toString);
      unacked.addAll(List.of("kept-1", "kept-2"));

      assertEquals(201, http.post(first.baseUrl() + "/queue/create/replay", null).status());
      for (int i = 1; i <= 3; i++) {
        HttpJson.Reply sent = http.post(first.baseUrl() + "/queue/send/replay",
            new JsonObject().put("id", "m-" + i).put("payload", new JsonObject().put("n", i)));
        assertEquals(i, sent.object().getLong("sequence"), sent::toString);
      }
      first.terminate(Duration.ofSeconds(30));
    }
    // What the database holds: no pending row, the consumer's entries on the three message rows, the ack one bit
    // (docs/storage.md, "Pending entries on the message row").
    assertEquals(List.of(0L, 3L, 1L), counts(pg, "SELECT count(*) FROM messaging_pending",
        "SELECT count(*) FROM messaging_messages WHERE pending_for IS NOT NULL",
        "SELECT count(*) FROM messaging_resolved"));

    try (FerryProcess second = start("pg-restart-2", dir.resolve("second"), env)) {
      JsonArray pulled = pull(http, second.baseUrl() + queue, 10);
      assertEquals(unacked, bodies(pulled), "the acked message stays acked, the others are still there");

      String ws = second.baseUrl().replace("http://", "ws://") + "/queue/listen/ws/replay?sequence=2&access_token="
          + KEY;
      try (LiveSubscriber replay = LiveSubscriber.connect(http.client(), ws)) {
        for (long sequence = 2; sequence <= 3; sequence++) {
          JsonObject frame = replay.next(Duration.ofSeconds(10));
          assertEquals(sequence, frame.getLong("sequence"), frame::encode);
          assertEquals(new JsonObject().put("n", sequence), frame.getJsonObject("payload"), frame::encode);
        }
        HttpJson.Reply sent = http.post(second.baseUrl() + "/queue/send/replay",
            new JsonObject().put("id", "m-4").put("payload", new JsonObject().put("n", 4)));
        assertEquals(4, sent.object().getLong("sequence"), "sequences go on after a restart: " + sent);
        assertEquals(4, replay.next(Duration.ofSeconds(10)).getLong("sequence"));
      }
    }
  }

  private static List<Long> counts(PostgresConfig pg, String... queries) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PostgresPools.create(vertx, pg, "observer");
      List<Long> counts = new ArrayList<>();
      for (String query : queries) {
        counts.add(Futures.await(pool.query(query).execute(), Duration.ofSeconds(10)).iterator().next().getLong(0));
      }
      return counts;
    } finally {
      Futures.await(vertx.close(), Duration.ofSeconds(10));
    }
  }

  private static Map<String, String> env(Map<String, String> storage) {
    Map<String, String> env = new HashMap<>(storage);
    env.put("FERRY_AUTH_BOOTSTRAP_KEY", KEY);
    // The skeleton's webhook receiver listens on loopback, which the SSRF rule refuses unless allowed.
    env.put("FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8");
    return env;
  }

  private static FerryProcess start(String name, Path workDir, Map<String, String> env) throws Exception {
    return FerryProcess.start(name, "ferry.standalone.jar", workDir, Ports.free(), env).awaitReady(StandaloneIT.START);
  }

  private static JsonArray pull(HttpJson http, String queueUrl, int batchSize) throws Exception {
    HttpJson.Reply pulled = http.post(queueUrl + "/messages/pull", new JsonObject()
        .put("batch_size", batchSize).put("visibility_timeout_ms", 30_000));
    assertEquals(200, pulled.status(), pulled::toString);
    return pulled.result().getJsonArray("messages");
  }

  private static List<String> bodies(JsonArray messages) {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      bodies.add(new JsonObject(new String(Base64.getDecoder().decode(messages.getJsonObject(i).getString("body"))))
          .getString("m"));
    }
    return bodies;
  }
}
