package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.testkit.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The webhook attempt log end to end: admin, messaging and the dispatcher in-process, a real receiver that fails
 * and then recovers. The log shows each attempt with its status and the receiver's answer, per listener and per
 * message; what was missed since a time is delivered again; and the log outlives a restart. On RocksDB and on
 * PostgreSQL.
 */
class AttemptLogSystemTest {

  private static final String KEY = "attempt-log-test-bootstrap-key-0123456789";
  private static final int MAX_ATTEMPTS = 2;
  private static final Duration SETTLED = Duration.ofSeconds(30);

  @Nested
  class OnRocksDb extends Flow {
    @Override
    Map<String, String> storageEnv() {
      // RocksDB, the default, in the data directory InProcessFerry is given.
      return Map.of();
    }
  }

  @Nested
  class OnPostgres extends Flow {
    private final Map<String, String> storage = PostgresStorage.freshSchema();

    @Override
    Map<String, String> storageEnv() {
      return storage;
    }
  }

  abstract static class Flow {

    private final HttpJson http = new HttpJson(KEY);
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private Path dataDir;
    private InProcessFerry ferry;
    private WebhookReceiver receiver;
    private String base;

    abstract Map<String, String> storageEnv();

    @BeforeEach
    void start() throws Exception {
      dataDir = Files.createTempDirectory("ferry-attempts-");
      receiver = WebhookReceiver.started();
      receiver.respond(WebhookReceiver.HOOK, request -> {
        if (failing.get()) {
          request.response().setStatusCode(500).end("down for maintenance");
        } else {
          request.response().setStatusCode(200).end("thanks");
        }
      });
      startNode();
    }

    private void startNode() {
      Map<String, String> env = new HashMap<>(storageEnv());
      env.put(ConfigReader.envName("dispatcher.lease-wait-ms"), "200");
      env.put(ConfigReader.envName("dispatcher.max-attempts"), Integer.toString(MAX_ATTEMPTS));
      env.put(ConfigReader.envName("dispatcher.retry-initial-ms"), "100");
      env.put(ConfigReader.envName("dispatcher.retry-max-ms"), "200");
      ferry = InProcessFerry.start("Ferry attempt log test", KEY, dataDir, env);
      base = ferry.base();
    }

    @AfterEach
    void stop() throws Exception {
      if (ferry != null) {
        ferry.close();
      }
      receiver.close();
    }

    @Test
    void failedAttemptsAreLoggedRedeliveredSinceATimeAndKeptAcrossARestart() throws Exception {
      String cf = base + "/client/v4/accounts/" + SkeletonFlow.accountId(http, base);
      HttpJson.Reply queue = http.post(cf + "/queues", new JsonObject().put("queue_name", "attempt-log"));
      assertEquals(200, queue.status(), queue::toString);
      String queueId = queue.result().getString("queue_id");
      HttpJson.Reply listener = http.post(base + "/v1/queues/" + queueId + "/listeners", new JsonObject()
          .put("name", "flaky").put("notify_url", receiver.hookUrl()).put("liveness_url", receiver.livenessUrl()));
      assertEquals(200, listener.status(), listener::toString);
      String listenerId = listener.object().getJsonObject("listener").getString("id");
      String listenerPath = base + "/v1/queues/" + queueId + "/listeners/" + listenerId;
      Instant beforePush = Instant.now().minusSeconds(1);
      assertEquals(200, http.post(cf + "/queues/" + queueId + "/messages", new JsonObject().put("body", "hello"))
          .status());

      JsonArray failed = awaitAttempts(listenerPath + "/attempts", MAX_ATTEMPTS);
      String messageId = failed.getJsonObject(0).getString("message_id");
      for (int i = 0; i < MAX_ATTEMPTS; i++) {
        JsonObject attempt = failed.getJsonObject(i);
        assertEquals(MAX_ATTEMPTS - i, attempt.getInteger("attempt"), "newest first");
        assertEquals(messageId, attempt.getString("message_id"));
        assertEquals("5xx", attempt.getString("outcome"));
        assertEquals(500, attempt.getInteger("status_code"));
        assertNull(attempt.getValue("error"));
        assertEquals("down for maintenance", attempt.getString("response_excerpt"));
      }
      Awaitility.await("the message is missed").atMost(SETTLED).until(() -> http.get(listenerPath).object()
          .getJsonObject("listener").getJsonObject("messages").getJsonArray("missed").contains(messageId));

      HttpJson.Reply none = http.post(listenerPath + "/redeliver_missed", new JsonObject()
          .put("since", Instant.now().plusSeconds(3_600).toString()));
      assertEquals(new JsonObject().put("redelivered", 0), none.object(), "nothing was missed after that");
      failing.set(false);
      HttpJson.Reply again = http.post(listenerPath + "/redeliver_missed", new JsonObject()
          .put("since", beforePush.toString()));
      assertEquals(new JsonObject().put("redelivered", 1), again.object(), again::toString);

      JsonArray all = awaitAttempts(listenerPath + "/attempts", MAX_ATTEMPTS + 1);
      JsonObject delivered = all.getJsonObject(0);
      assertEquals("2xx", delivered.getString("outcome"));
      assertEquals(1, delivered.getInteger("attempt"), "a redelivery starts counting again");
      assertEquals("thanks", delivered.getString("response_excerpt"));
      JsonArray ofMessage = http.get(base + "/v1/queues/" + queueId + "/messages/" + messageId + "/attempts")
          .object().getJsonArray("attempts");
      assertEquals(ids(all), ids(ofMessage));

      ferry.stop();
      startNode();
      String restartedPath = base + "/v1/queues/" + queueId + "/listeners/" + listenerId;
      assertEquals(ids(all), ids(http.get(restartedPath + "/attempts").object().getJsonArray("attempts")),
          "the log outlives a restart");
    }

    private JsonArray awaitAttempts(String url, int count) {
      JsonArray[] seen = new JsonArray[1];
      Awaitility.await(count + " attempts in the log").atMost(SETTLED).until(() -> {
        seen[0] = http.get(url).object().getJsonArray("attempts");
        return seen[0].size() >= count;
      });
      assertEquals(count, seen[0].size(), seen[0]::encode);
      return seen[0];
    }

    private static List<String> ids(JsonArray attempts) {
      List<String> ids = new ArrayList<>();
      attempts.forEach(a -> ids.add(((JsonObject) a).getString("id")));
      return ids;
    }
  }
}
