package io.ferry.messaging.store;

import static org.awaitility.Awaitility.waitAtMost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One messaging instance writes a schema at a time, and one that lost the schema never writes again unseen. */
class PgOwnershipTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final PostgresConfig config = TestPostgres.shared().freshSchema();
  private final String queue = Ids.newId();
  private Vertx vertx;
  private Pool observer;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    observer = PostgresPools.create(vertx, config, "observer");
  }

  @AfterEach
  void stop() {
    Futures.await(observer.close(), WAIT);
    Futures.await(vertx.close(), WAIT);
  }

  @Test
  void aSecondInstanceWaitsForTheOwnerAndTakesOverPromptlyOnceItCloses() {
    PgMessageStore first = open(config, WAIT);
    commit(first, new StoreBatch().putQueue(queue()).append(message(1)));

    FerryException refused = Futures.failure(PgMessageStore.open(vertx, config, Duration.ofSeconds(1)), WAIT);
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertTrue(refused.getMessage().contains("two messaging instances cannot share a schema"), refused.getMessage());

    Future<PgMessageStore> second = PgMessageStore.open(vertx, config, WAIT);
    Futures.await(first.close(), WAIT);
    long closed = System.nanoTime();
    PgMessageStore taken = Futures.await(second, WAIT);
    Duration handover = Duration.ofNanos(System.nanoTime() - closed);

    assertTrue(handover.compareTo(Duration.ofSeconds(3)) < 0, "took over " + handover + " after the close");
    assertEquals(2L, epoch());
    commit(taken, new StoreBatch().append(message(2)));
    assertEquals(List.of(1L, 2L), stored());
    Futures.await(taken.close(), WAIT);
  }

  @Test
  void anInstanceWhoseEpochWasRaisedElsewhereCommitsNothingAndReloadsBeforeWritingAgain() {
    PgMessageStore store = open(config, WAIT);
    commit(store, new StoreBatch().putQueue(queue()).append(message(1)));

    // What a new owner does on taking over, seen from an owner cut off from the database meanwhile.
    Futures.await(observer.query("UPDATE messaging_owner SET epoch = epoch + 1 WHERE shard = 0").execute(), WAIT);

    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(store.commit(new StoreBatch().append(message(2))), WAIT).code());
    assertEquals(List.of(1L), stored());
    waitAtMost(WAIT).untilAsserted(() -> Futures.await(store.probe(), WAIT));
    assertEquals(3L, epoch());
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(store.commit(new StoreBatch().append(message(3))), WAIT).code(),
        "a state loaded before another owner wrote must be reloaded first");

    Futures.await(store.load(new CollectedState()), WAIT);
    commit(store, new StoreBatch().append(message(4)));
    assertEquals(List.of(1L, 4L), stored());
    Futures.await(store.close(), WAIT);
  }

  @Test
  void anOwnerWhoseSessionWasKilledWritesNothingWhileAnotherOwnsTheSchemaThenTakesItBackAndReloads() {
    // The first instance connects as a role of its own, so that the test can keep it from reconnecting: its
    // pool stays connected, as it would when only the lock's session was cut off.
    String role = "ferry_first_" + Ids.newId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    Futures.await(observer.query("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD 'first'").execute(), WAIT);
    PostgresConfig asFirst = new PostgresConfig(config.host(), config.port(), config.database(), role, "first",
        config.schema(), config.poolSize(), config.statementTimeoutMs(), config.connectTimeoutMs());
    PgMessageStore first = open(asFirst, WAIT);
    commit(first, new StoreBatch().putQueue(queue()).append(message(1)));

    Futures.await(observer.query("ALTER ROLE " + role + " NOLOGIN").execute(), WAIT);
    assertEquals(1, Futures.await(observer.preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_locks l,"
        + " (SELECT hashtextextended($1, 0) AS k) h WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        + " AND l.classid::bigint = (h.k >> 32) & 4294967295 AND l.objid::bigint = h.k & 4294967295")
        .execute(Tuple.of("ferry-messaging-owner:" + config.schema())), WAIT).size());
    PgMessageStore second = open(config, Duration.ofSeconds(10));

    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(first.commit(new StoreBatch().append(message(2))), WAIT).code());
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(first.probe(), WAIT).code());
    commit(second, new StoreBatch().append(message(3)));
    assertEquals(List.of(1L, 3L), stored());

    Futures.await(observer.query("ALTER ROLE " + role + " LOGIN").execute(), WAIT);
    Futures.await(second.close(), WAIT);
    waitAtMost(WAIT).untilAsserted(() -> Futures.await(first.probe(), WAIT));
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(first.commit(new StoreBatch().append(message(4))), WAIT).code());
    CollectedState reloaded = new CollectedState();
    Futures.await(first.load(reloaded), WAIT);
    assertEquals(3L, reloaded.sequenceHeads.get(queue));
    commit(first, new StoreBatch().append(message(5)));
    assertEquals(List.of(1L, 3L, 5L), stored());
    Futures.await(first.close(), WAIT);
  }

  @Test
  void shardsCommitSideBySideUnderTheFenceAndATakeoverWaitsForTheirTransactionsThenNoShardCommits() {
    PgMessageStore store = open(config, WAIT);
    String other = Ids.newId();
    commit(store.forShard(0), new StoreBatch().putQueue(queue()).append(message(1)));
    SqlConnection locker = Futures.await(observer.getConnection(), WAIT);
    Futures.await(locker.query("BEGIN").execute(), WAIT);
    Futures.await(locker.preparedQuery("SELECT 1 FROM messaging_queues WHERE queue_id = $1 FOR UPDATE")
        .execute(Tuple.of(queue)), WAIT);
    // Shard 0's transaction holds the fence and waits for the queue's row.
    Future<Void> held = store.forShard(0).commit(new StoreBatch().putQueue(queue()).append(message(2)));
    waitAtMost(WAIT).until(() -> blockedBy(pid(locker)) == 1);

    commit(store.forShard(1), new StoreBatch().putQueue(new QueueInfo(other, "acct", "q-" + other, 1, 1,
        QueueSettings.DEFAULTS)));
    SqlConnection taker = Futures.await(observer.getConnection(), WAIT);
    int takerPid = pid(taker);
    Future<?> takeover = taker.query("UPDATE messaging_owner SET epoch = epoch + 1 WHERE shard = 0").execute();
    waitAtMost(WAIT).until(() -> isBlocked(takerPid));
    assertFalse(takeover.isComplete(), "a takeover waits for the transactions that passed the fence");

    Futures.await(locker.query("COMMIT").execute().eventually(locker::close), WAIT);
    Futures.await(held, WAIT);
    Futures.await(takeover.eventually(taker::close), WAIT);
    assertEquals(ErrorCode.UNAVAILABLE,
        Futures.failure(store.forShard(0).commit(new StoreBatch().append(message(3))), WAIT).code());
    assertEquals(ErrorCode.UNAVAILABLE,
        Futures.failure(store.forShard(1).commit(new StoreBatch().append(message(4))), WAIT).code());
    assertEquals(List.of(1L, 2L), stored());
    Futures.await(store.close(), WAIT);
  }

  private static int pid(SqlConnection connection) {
    return Futures.await(connection.query("SELECT pg_backend_pid()").execute(), WAIT).iterator().next().getInteger(0);
  }

  private int blockedBy(int pid) {
    return Futures.await(observer.preparedQuery("SELECT count(*) FROM pg_stat_activity"
        + " WHERE $1 = ANY(pg_blocking_pids(pid))").execute(Tuple.of(pid)), WAIT).iterator().next().getInteger(0);
  }

  private boolean isBlocked(int pid) {
    return Futures.await(observer.preparedQuery("SELECT cardinality(pg_blocking_pids($1))").execute(Tuple.of(pid)),
        WAIT).iterator().next().getInteger(0) > 0;
  }

  private PgMessageStore open(PostgresConfig pg, Duration ownerWait) {
    return Futures.await(PgMessageStore.open(vertx, pg, ownerWait), WAIT);
  }

  private static void commit(MessageStore store, StoreBatch batch) {
    Futures.await(store.commit(batch), WAIT);
  }

  private long epoch() {
    return Futures.await(observer.query("SELECT epoch FROM messaging_owner WHERE shard = 0").execute(), WAIT)
        .iterator().next().getLong(0);
  }

  private List<Long> stored() {
    List<Long> sequences = new java.util.ArrayList<>();
    Futures.await(observer.preparedQuery("SELECT sequence FROM messaging_messages WHERE queue_id = $1 ORDER BY sequence")
        .execute(Tuple.of(queue)), WAIT).forEach(row -> sequences.add(row.getLong(0)));
    return sequences;
  }

  private QueueInfo queue() {
    return new QueueInfo(queue, "acct", "q-" + queue, 1, 1, QueueSettings.DEFAULTS);
  }

  private StoredMessage message(long sequence) {
    return new StoredMessage(Ids.newId(), queue, sequence, null, ContentType.TEXT,
        ("m" + sequence).getBytes(StandardCharsets.UTF_8), 1_000, 2_000);
  }
}
