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
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One messaging instance writes a schema at a time, and one that lost the schema never writes again unseen. */
class PgOwnershipTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  final PgSchemaUnderTest pg = new PgSchemaUnderTest();
  private final String queue = Ids.newId();

  @Test
  void aSecondInstanceWaitsForTheOwnerAndTakesOverPromptlyOnceItCloses() {
    PgMessageStore first = open(pg.config, WAIT);
    commit(first, new StoreBatch().putQueue(queue()).append(message(1)));

    FerryException refused = Futures.failure(PgMessageStore.open(pg.vertx, pg.config, Duration.ofSeconds(1)),
        WAIT);
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertTrue(refused.getMessage().contains("two messaging instances cannot share a schema"), refused.getMessage());

    Future<PgMessageStore> second = PgMessageStore.open(pg.vertx, pg.config, WAIT);
    Futures.await(first.close(), WAIT);
    long closed = System.nanoTime();
    PgMessageStore taken = Futures.await(second, WAIT);
    Duration handover = Duration.ofNanos(System.nanoTime() - closed);

    assertTrue(handover.compareTo(Duration.ofSeconds(3)) < 0, "took over " + handover + " after the close");
    assertEquals(2L, epoch());
    commit(taken, new StoreBatch().append(message(2)));
    assertEquals(List.of(1L, 2L), pg.stored(queue));
    Futures.await(taken.close(), WAIT);
  }

  @Test
  void anInstanceWhoseEpochWasRaisedElsewhereCommitsNothingAndReloadsBeforeWritingAgain() {
    PgMessageStore store = open(pg.config, WAIT);
    commit(store, new StoreBatch().putQueue(queue()).append(message(1)));

    // What a new owner does on taking over, seen from an owner cut off from the database meanwhile.
    Futures.await(pg.observer.query("UPDATE messaging_owner SET epoch = epoch + 1 WHERE shard = 0").execute(), WAIT);

    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(store.commit(new StoreBatch().append(message(2))), WAIT).code());
    assertEquals(List.of(1L), pg.stored(queue));
    waitAtMost(WAIT).untilAsserted(() -> Futures.await(store.probe(), WAIT));
    assertEquals(3L, epoch());
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(store.commit(new StoreBatch().append(message(3))), WAIT).code(),
        "a state loaded before another owner wrote must be reloaded first");

    Futures.await(store.load(new CollectedState()), WAIT);
    commit(store, new StoreBatch().append(message(4)));
    assertEquals(List.of(1L, 4L), pg.stored(queue));
    Futures.await(store.close(), WAIT);
  }

  @Test
  void anOwnerWhoseSessionWasKilledWritesNothingWhileAnotherOwnsTheSchemaThenTakesItBackAndReloads() {
    // The first instance connects as a role of its own, so that the test can keep it from reconnecting: its
    // pool stays connected, as it would when only the lock's session was cut off.
    String role = "ferry_first_" + Ids.newId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    Futures.await(pg.observer.query("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD 'first'").execute(), WAIT);
    PostgresConfig config = pg.config;
    PostgresConfig asFirst = new PostgresConfig(config.host(), config.port(), config.database(), role, "first",
        config.schema(), config.poolSize(), config.statementTimeoutMs(), config.connectTimeoutMs());
    PgMessageStore first = open(asFirst, WAIT);
    commit(first, new StoreBatch().putQueue(queue()).append(message(1)));

    Futures.await(pg.observer.query("ALTER ROLE " + role + " NOLOGIN").execute(), WAIT);
    assertEquals(1, Futures.await(pg.observer.preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_locks l,"
        + " (SELECT hashtextextended($1, 0) AS k) h WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        + " AND l.classid::bigint = (h.k >> 32) & 4294967295 AND l.objid::bigint = h.k & 4294967295")
        .execute(Tuple.of("ferry-messaging-owner:" + pg.config.schema())), WAIT).size());
    PgMessageStore second = open(pg.config, Duration.ofSeconds(10));

    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(first.commit(new StoreBatch().append(message(2))), WAIT).code());
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(first.probe(), WAIT).code());
    commit(second, new StoreBatch().append(message(3)));
    assertEquals(List.of(1L, 3L), pg.stored(queue));

    Futures.await(pg.observer.query("ALTER ROLE " + role + " LOGIN").execute(), WAIT);
    Futures.await(second.close(), WAIT);
    waitAtMost(WAIT).untilAsserted(() -> Futures.await(first.probe(), WAIT));
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(first.commit(new StoreBatch().append(message(4))), WAIT).code());
    CollectedState reloaded = new CollectedState();
    Futures.await(first.load(reloaded), WAIT);
    assertEquals(3L, reloaded.sequenceHeads.get(queue));
    commit(first, new StoreBatch().append(message(5)));
    assertEquals(List.of(1L, 3L, 5L), pg.stored(queue));
    Futures.await(first.close(), WAIT);
  }

  @Test
  void shardsCommitSideBySideUnderTheFenceAndATakeoverWaitsForTheirTransactionsThenNoShardCommits() {
    PgMessageStore store = open(pg.config, WAIT);
    String other = Ids.newId();
    commit(store.forShard(0), new StoreBatch().putQueue(queue()).append(message(1)));
    SqlConnection locker = Futures.await(pg.observer.getConnection(), WAIT);
    Futures.await(locker.query("BEGIN").execute(), WAIT);
    Futures.await(locker.preparedQuery("SELECT 1 FROM messaging_queues WHERE queue_id = $1 FOR UPDATE")
        .execute(Tuple.of(queue)), WAIT);
    // Shard 0's transaction holds the fence and waits for the queue's row.
    Future<Void> held = store.forShard(0).commit(new StoreBatch().putQueue(queue()).append(message(2)));
    waitAtMost(WAIT).until(() -> pg.blockedBy(PgSchemaUnderTest.pid(locker)) == 1);

    commit(store.forShard(1), new StoreBatch().putQueue(new QueueInfo(other, "acct", "q-" + other, 1, 1,
        QueueSettings.DEFAULTS)));
    SqlConnection taker = Futures.await(pg.observer.getConnection(), WAIT);
    int takerPid = PgSchemaUnderTest.pid(taker);
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
    assertEquals(List.of(1L, 2L), pg.stored(queue));
    Futures.await(store.close(), WAIT);
  }

  private boolean isBlocked(int pid) {
    return Futures.await(pg.observer.preparedQuery("SELECT cardinality(pg_blocking_pids($1))").execute(Tuple.of(pid)),
        WAIT).iterator().next().getInteger(0) > 0;
  }

  private PgMessageStore open(PostgresConfig database, Duration ownerWait) {
    return Futures.await(PgMessageStore.open(pg.vertx, database, ownerWait), WAIT);
  }

  private static void commit(MessageStore store, StoreBatch batch) {
    Futures.await(store.commit(batch), WAIT);
  }

  private long epoch() {
    return Futures.await(pg.observer.query("SELECT epoch FROM messaging_owner WHERE shard = 0").execute(), WAIT)
        .iterator().next().getLong(0);
  }

  private QueueInfo queue() {
    return new QueueInfo(queue, "acct", "q-" + queue, 1, 1, QueueSettings.DEFAULTS);
  }

  private StoredMessage message(long sequence) {
    return new StoredMessage(Ids.newId(), queue, sequence, null, ContentType.TEXT,
        ("m" + sequence).getBytes(StandardCharsets.UTF_8), 1_000, 2_000);
  }
}
