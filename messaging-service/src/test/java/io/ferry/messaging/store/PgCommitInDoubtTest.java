package io.ferry.messaging.store;

import static io.ferry.messaging.store.PgSchemaUnderTest.message;
import static io.ferry.messaging.store.PgSchemaUnderTest.queue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.HeldCommits;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A commit whose COMMIT was sent and whose answer never came (the connection cut, the backend terminated, a
 * statement timeout reported on COMMIT) fails OUTCOME_UNKNOWN: it may be durable, and UNAVAILABLE would tell
 * the client that nothing was written. A transaction that surely rolled back (the server refused a statement
 * before COMMIT) still fails UNAVAILABLE. Either way the writer goes on.
 */
class PgCommitInDoubtTest {

  private static final Duration WAIT = PgSchemaUnderTest.WAIT;
  private static final String HELD = "NEW.message_id LIKE 'held-%'";

  @RegisterExtension
  final PgSchemaUnderTest pg = new PgSchemaUnderTest();

  @Test
  void aCommitWhoseBackendIsTerminatedWhileCommittingFailsOutcomeUnknown() {
    PgMessageStore store = open(pg.config, PgMessageStore.DEFAULT_PUSH_TRANSACTIONS);
    String queue = createdQueue(store);
    HeldCommits held = HeldCommits.on(pg.observer, pg.config.schema(), "messaging_messages", HELD);

    Future<Void> push = store.forShard(0).commit(new StoreBatch().append(heldMessage(queue, 1)));
    held.terminate(held.heldBackend());

    assertInDoubt(push);
    held.release();
    assertWriterGoesOn(store, queue, 2);
  }

  @Test
  void aTransactionRefusedBeforeItsCommitFailsUnavailable() {
    PostgresConfig c = pg.config;
    PgMessageStore store = open(new PostgresConfig(c.host(), c.port(), c.database(), c.user(), c.password(),
        c.schema(), c.poolSize(), 1_000, c.connectTimeoutMs()), PgMessageStore.DEFAULT_PUSH_TRANSACTIONS);
    String queue = createdQueue(store);
    SqlConnection locker = Futures.await(pg.observer.getConnection(), WAIT);
    Futures.await(locker.query("BEGIN").execute(), WAIT);
    Futures.await(locker.preparedQuery("INSERT INTO messaging_messages (queue_id, sequence, message_id, message_key,"
        + " content_type, timestamp_ms, available_at_ms, body) VALUES ($1, 1, 'held', NULL, 'text', 0, 0, '\\x00')")
        .execute(Tuple.of(queue)), WAIT);

    // Waits on the row the test inserted until the statement timeout: the server answers that statement with
    // an error, so the transaction is aborted and the COMMIT sent behind it rolls back.
    FerryException failure = Futures.failure(store.forShard(0).commit(new StoreBatch().append(message(queue, 1))),
        WAIT);
    assertEquals(ErrorCode.UNAVAILABLE, failure.code(), failure.getMessage());
    Futures.await(locker.query("ROLLBACK").execute().eventually(locker::close), WAIT);
    assertWriterGoesOn(store, queue, 1);
  }

  private PgMessageStore open(PostgresConfig config, int pushTransactions) {
    return PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, config,
        PgMessageStore.DEFAULT_BODY_CACHE_BYTES, Integer.MAX_VALUE, pushTransactions,
        PgMessageStore.DEFAULT_SHARD_LEASE_MS, null));
  }

  private static String createdQueue(PgMessageStore store) {
    String queue = Ids.newId();
    Futures.await(store.forShard(0).commit(new StoreBatch().putQueue(queue(queue))), WAIT);
    return queue;
  }

  private static StoredMessage heldMessage(String queue, long sequence) {
    StoredMessage plain = message(queue, sequence);
    return new StoredMessage("held-" + Ids.newId(), queue, sequence, plain.key(), plain.contentType(), plain.body(),
        plain.timestampMs(), plain.availableAtMs());
  }

  private static void assertInDoubt(Future<Void> commit) {
    FerryException failure = Futures.failure(commit, WAIT);
    assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.code(), failure.getMessage());
    assertTrue(failure.getMessage().contains("may or may not have been applied"), failure.getMessage());
  }

  private void assertWriterGoesOn(PgMessageStore store, String queue, long sequence) {
    Futures.await(store.forShard(0).commit(new StoreBatch().append(message(queue, sequence))), WAIT);
    assertTrue(pg.stored(queue).contains(sequence), "the writer goes on: " + pg.stored(queue));
    Futures.await(store.close(), WAIT);
  }
}
