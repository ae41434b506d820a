package io.ferry.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.WebhookAttempt;
import io.ferry.contracts.model.WebhookAttemptBatch;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two admin instances on one PostgreSQL schema: attempts a dispatcher reported to one of them are shown alike by
 * either, and still after the instance that received them has stopped.
 */
class SharedAttemptLogTest {

  private static final String KEY = "fry_shared-attempt-log-key-0123456789ab";

  private AdminTestNode first;
  private AdminTestNode second;
  private Path dirs;

  @BeforeEach
  void startTwoInstances() throws Exception {
    TestPostgres server = TestPostgres.shared();
    PostgresConfig pg = server.freshSchema();
    Map<String, String> settings = Map.of(
        "storage.kind", "postgres",
        "storage.postgres.url", server.url(),
        "storage.postgres.password", server.password(),
        "storage.postgres.schema", pg.schema(),
        "auth.bootstrap-key", KEY);
    dirs = Files.createTempDirectory("ferry-shared-attempts");
    first = AdminTestNode.start(Files.createDirectory(dirs.resolve("a")), settings);
    second = AdminTestNode.start(Files.createDirectory(dirs.resolve("b")), settings);
  }

  @AfterEach
  void stop() throws Exception {
    for (AdminTestNode admin : new AdminTestNode[] {first, second}) {
      if (admin != null) {
        admin.close();
      }
    }
    try (var paths = Files.walk(dirs)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void eitherInstanceShowsTheSameLog() throws Exception {
    String queueId = first.discueQueue(KEY, "shared-attempts");
    HttpResponse<Buffer> created = first.post("/v1/queues/" + queueId + "/listeners", KEY,
        DiscueListenerRoutesTest.listenerBody("shared"));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    String listenerId = created.bodyAsJsonObject().getJsonObject("listener").getString("id");
    String path = "/v1/queues/" + queueId + "/listeners/" + listenerId + "/attempts";
    WebhookAttempt attempt = new WebhookAttempt(Ids.newId(), queueId, listenerId, Ids.newId(), 1,
        System.currentTimeMillis(), "4xx", 404, null, 8, "no such hook");

    Bus.send(first.node.vertx(), Endpoints.WEBHOOK_ATTEMPTS_RECORD, new WebhookAttemptBatch(List.of(attempt)));
    await().atMost(Duration.ofSeconds(10)).until(() -> !attempts(second, path).isEmpty());
    first.close();
    first = null;

    JsonArray shown = attempts(second, path);
    assertEquals(1, shown.size());
    JsonObject only = shown.getJsonObject(0);
    assertEquals(attempt.id(), only.getString("id"));
    assertEquals(404, only.getInteger("status_code"));
    assertEquals("no such hook", only.getString("response_excerpt"));
  }

  private static JsonArray attempts(AdminTestNode admin, String path) throws Exception {
    HttpResponse<Buffer> answer = admin.get(path, KEY);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject().getJsonArray("attempts");
  }
}
