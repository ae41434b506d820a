package io.ferry.messaging;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.TopologySnapshot;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.HeldCommits;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL, a push whose COMMIT was sent and never answered (its backend terminated while committing) is
 * answered 504 OUTCOME_UNKNOWN without Retry-After in its dialect's format: it may be stored, so the client is
 * not told to send it again as if nothing happened. Messaging then reloads its state from the database, so
 * what it serves is what the database holds. A push whose transaction failed before COMMIT (a statement timed
 * out) surely wrote nothing, and is still answered 503 with Retry-After.
 */
class PgCommitInDoubtRoutesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private final TestPostgres server = TestPostgres.shared();
  private final PostgresConfig postgres = withStatementTimeout(server.freshSchema(), 1_000);

  @Test
  void aPushWhoseCommitIsCutIsAnswered504AndMessagingServesWhatTheDatabaseHolds() {
    try (TestNode node = TestNode.startOnPostgres(dataDir, server, postgres)) {
      Pool observer = PostgresPools.create(node.vertx, postgres, "observer");
      QueueInfo queue = servedQueue(node);
      String path = queuePath(ACCOUNT_A, queue.id());
      assertEquals(200, push(node, path, "before").statusCode());
      HeldCommits held = HeldCommits.on(observer, postgres.schema(), "messaging_messages", "true");

      Future<HttpResponse<Buffer>> inDoubt = pushAsync(node, path, "in doubt");
      held.terminate(held.heldBackend());

      assertError(Futures.await(inDoubt, WAIT), Dialect.CLOUDFLARE, ErrorCode.OUTCOME_UNKNOWN,
          "may or may not have been applied");
      held.release();
      Awaitility.await().atMost(WAIT).until(() -> node.get("/health/ready").statusCode() == 200);
      assertEquals(200, push(node, path, "after").statusCode());
      // PostgreSQL rolled the terminated transaction back; after its resync messaging serves just what it holds.
      assertEquals(2, listed(node, queue));
      assertEquals(2, stored(observer, queue));
      Futures.await(observer.close(), WAIT);
    }
  }

  @Test
  void aPushWhoseTransactionFailsBeforeCommitIsStillAnswered503WithRetryAfter() {
    try (TestNode node = TestNode.startOnPostgres(dataDir, server, postgres)) {
      Pool observer = PostgresPools.create(node.vertx, postgres, "observer");
      QueueInfo queue = servedQueue(node);
      String path = queuePath(ACCOUNT_A, queue.id());
      assertEquals(200, push(node, path, "before").statusCode());
      // The next push's row, inserted and left uncommitted: the push's INSERT waits for it until its statement
      // times out, and the server aborts the transaction before the COMMIT sent behind it.
      SqlConnection locker = Futures.await(observer.getConnection(), WAIT);
      Futures.await(locker.query("BEGIN").execute(), WAIT);
      Futures.await(locker.preparedQuery("INSERT INTO messaging_messages (queue_id, sequence, message_id,"
          + " message_key, content_type, timestamp_ms, available_at_ms, body)"
          + " VALUES ($1, 2, 'held', NULL, 'text', 0, 0, '\\x00')").execute(Tuple.of(queue.id())), WAIT);

      assertError(push(node, path, "refused"), Dialect.CLOUDFLARE, ErrorCode.UNAVAILABLE);
      Futures.await(locker.query("ROLLBACK").execute().eventually(locker::close), WAIT);
      Awaitility.await().atMost(WAIT).until(() -> node.get("/health/ready").statusCode() == 200);
      assertEquals(200, push(node, path, "after").statusCode());
      assertEquals(2, listed(node, queue));
      assertEquals(2, stored(observer, queue));
      Futures.await(observer.close(), WAIT);
    }
  }

  private static QueueInfo servedQueue(TestNode node) {
    QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    await(Bus.serve(node.vertx, Addresses.TOPOLOGY_SNAPSHOT,
        ignored -> Future.succeededFuture(new TopologySnapshot(List.of(queue), List.of()))));
    Awaitility.await().atMost(WAIT).until(() -> node.get("/health/ready").statusCode() == 200);
    return queue;
  }

  private static int listed(TestNode node, QueueInfo queue) {
    return json(node.get("/v1/queues/" + queue.id() + "/messages", KEY_A)).getJsonArray("messages").size();
  }

  private static long stored(Pool observer, QueueInfo queue) {
    return Futures.await(observer.preparedQuery("SELECT count(*) FROM messaging_messages WHERE queue_id = $1")
        .execute(Tuple.of(queue.id())), WAIT).iterator().next().getLong(0);
  }

  private static PostgresConfig withStatementTimeout(PostgresConfig c, long ms) {
    return new PostgresConfig(c.host(), c.port(), c.database(), c.user(), c.password(), c.schema(), c.poolSize(),
        ms, c.connectTimeoutMs());
  }

  private static HttpResponse<Buffer> push(TestNode node, String path, String body) {
    return Futures.await(pushAsync(node, path, body), WAIT);
  }

  private static Future<HttpResponse<Buffer>> pushAsync(TestNode node, String path, String body) {
    return node.postAsync(path + "/messages", KEY_A,
        new JsonObject().put("body", body).put("content_type", "text").toBuffer());
  }
}
