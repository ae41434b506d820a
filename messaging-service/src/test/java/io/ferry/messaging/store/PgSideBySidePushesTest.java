package io.ferry.messaging.store;

import static io.ferry.messaging.store.PgSchemaUnderTest.message;
import static io.ferry.messaging.store.PgSchemaUnderTest.queue;
import static org.awaitility.Awaitility.waitAtMost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On PostgreSQL a shard's pushes that share no row commit side by side, while callers still hear of every commit
 * in the order they asked, and anything but a push waits for what is in flight.
 */
class PgSideBySidePushesTest {

  private static final Duration WAIT = PgSchemaUnderTest.WAIT;

  @RegisterExtension
  final PgSchemaUnderTest pg = new PgSchemaUnderTest();

  @Test
  void aLaterPushCommitsBesideAnEarlierOneHeldUpAndIsToldAfterIt() {
    Beside pushes = secondPushCommittedBesideAHeldUpFirst();
    assertFalse(pushes.second.isComplete(), "committed, but told only after the push asked for before it");
    assertFalse(pushes.first.isComplete());

    Futures.await(pushes.locker.query("ROLLBACK").execute().eventually(pushes.locker::close), WAIT);
    Futures.await(Future.all(pushes.first, pushes.second), WAIT);
    assertEquals(List.of("first", "second"), pushes.told);
    assertEquals(List.of(1L, 2L), pg.stored(pushes.queue));
    Futures.await(pushes.store.close(), WAIT);
  }

  @Test
  void aPushWhoseTransactionFailsFailsAloneWhileTheOneBesideItCommits() {
    Beside pushes = secondPushCommittedBesideAHeldUpFirst();
    // The held-up transaction's connection is cut. The server aborted it, but its COMMIT was sent with its
    // statements, and the client, whose connection is reset, cannot tell where the server was: in doubt (or,
    // should the server's last words arrive, refused).
    Futures.await(pg.observer.preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        + " WHERE $1 = ANY(pg_blocking_pids(pid))").execute(Tuple.of(PgSchemaUnderTest.pid(pushes.locker))), WAIT);

    ErrorCode failed = Futures.failure(pushes.first, WAIT).code();
    assertTrue(failed == ErrorCode.OUTCOME_UNKNOWN || failed == ErrorCode.UNAVAILABLE, failed.toString());
    Futures.await(pushes.second, WAIT);
    assertEquals(List.of("first", "second"), pushes.told);
    Futures.await(pushes.locker.query("ROLLBACK").execute().eventually(pushes.locker::close), WAIT);
    assertEquals(List.of(2L), pg.stored(pushes.queue));
    Futures.await(pushes.shard.commit(new StoreBatch().append(message(pushes.queue, 3))), WAIT);
    assertEquals(List.of(2L, 3L), pg.stored(pushes.queue), "the writer goes on");
    Futures.await(pushes.store.close(), WAIT);
  }

  /** Two pushes on one shard: the first held up on its message's row, the second committed beside it. */
  private record Beside(PgMessageStore store, MessageStore shard, String queue, SqlConnection locker,
      Future<Void> first, Future<Void> second, List<String> told) {
  }

  private Beside secondPushCommittedBesideAHeldUpFirst() {
    PgMessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    String queue = Ids.newId();
    MessageStore shard = store.forShard(0);
    Futures.await(shard.commit(new StoreBatch().putQueue(queue(queue))), WAIT);
    SqlConnection locker = holdMessageRow(queue, 1);
    List<String> told = Collections.synchronizedList(new ArrayList<>());

    Future<Void> first = shard.commit(new StoreBatch().append(message(queue, 1))).onComplete(v -> told.add("first"));
    waitAtMost(WAIT).until(() -> pg.blockedBy(PgSchemaUnderTest.pid(locker)) == 1);
    Future<Void> second = shard.commit(new StoreBatch().append(message(queue, 2))).onComplete(v -> told.add("second"));
    waitAtMost(WAIT).until(() -> pg.stored(queue).equals(List.of(2L)));
    return new Beside(store, shard, queue, locker, first, second, told);
  }

  @Test
  void anythingButAPushOfOtherRowsWaitsForTheTransactionsInFlight() {
    PgMessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    String queue = Ids.newId();
    MessageStore shard = store.forShard(0);
    Futures.await(shard.commit(new StoreBatch().putQueue(queue(queue)).append(message(queue, 5))), WAIT);
    SqlConnection locker = holdMessageRow(queue, 1);

    String subscription = Ids.newId();
    Future<Void> push = shard.commit(new StoreBatch().append(message(queue, 1)).putPending(subscription, 1, 0, 0));
    waitAtMost(WAIT).until(() -> pg.blockedBy(PgSchemaUnderTest.pid(locker)) == 1);
    Future<Void> delete = shard.commit(new StoreBatch().deleteMessage(queue, 5));
    Future<Void> sameRow = shard.commit(new StoreBatch().putPending(subscription, 1, 1, 0));
    Future<Void> laterPush = shard.commit(new StoreBatch().append(message(queue, 6)));
    // Had any of them been written, the push of 6 (behind them) could have been too: it was not.
    assertEquals(List.of(5L), pg.stored(queue));
    assertFalse(delete.isComplete() || sameRow.isComplete() || laterPush.isComplete());

    Futures.await(locker.query("ROLLBACK").execute().eventually(locker::close), WAIT);
    Futures.await(Future.all(push, delete, sameRow, laterPush), WAIT);
    assertEquals(List.of(1L, 6L), pg.stored(queue));
    Futures.await(store.close(), WAIT);
  }

  @Test
  void aPushsPendingEntryThatIsAlreadyStoredFailsItsCommitAloneAndOverwritesNothing() {
    PgMessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    String queue = Ids.newId();
    String subscription = Ids.newId();
    Futures.await(store.commit(new StoreBatch().putQueue(queue(queue)).append(message(queue, 1))
        .createPending(subscription, 1, 10)), WAIT);
    Futures.await(store.commit(new StoreBatch().putPending(subscription, 1, 3, 30)), WAIT);

    Future<Void> again = store.commit(new StoreBatch().append(message(queue, 2)).createPending(subscription, 1, 99));
    Future<Void> next = store.commit(new StoreBatch().append(message(queue, 3)).createPending(subscription, 3, 40));

    assertEquals(ErrorCode.INTERNAL, Futures.failure(again, WAIT).code());
    Futures.await(next, WAIT);
    assertEquals(List.of(1L, 3L), pg.stored(queue), "the failed commit wrote none of its rows");
    Row retried = Futures.await(pg.observer.preparedQuery("SELECT attempts, available_at_ms FROM messaging_pending"
        + " WHERE subscription_id = $1 AND sequence = 1").execute(Tuple.of(subscription)), WAIT).iterator().next();
    assertEquals(List.of(3, 30L), List.of(retried.getInteger(0), retried.getLong(1)));
    Futures.await(store.close(), WAIT);
  }

  @Test
  void anAppendOfAMessageThatIsAlreadyStoredFailsAloneAndOverwritesNothing() {
    PgMessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    String queue = Ids.newId();
    StoredMessage first = message(queue, 1);
    Futures.await(store.commit(new StoreBatch().putQueue(queue(queue)).append(first)), WAIT);

    Future<Void> again = store.commit(new StoreBatch().append(message(queue, 1)));
    Future<Void> next = store.commit(new StoreBatch().append(message(queue, 2)));

    assertEquals(ErrorCode.INTERNAL, Futures.failure(again, WAIT).code());
    Futures.await(next, WAIT);
    assertEquals(List.of(1L, 2L), pg.stored(queue));
    assertEquals(first.id(), Futures.await(pg.observer.preparedQuery("SELECT message_id FROM messaging_messages"
        + " WHERE queue_id = $1 AND sequence = 1").execute(Tuple.of(queue)), WAIT).iterator().next().getString(0));
    Futures.await(store.close(), WAIT);
  }

  @Test
  void aDeleteOfEveryMessageKeepsTheHeadAtTheHighestRemoved() {
    PgMessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    String acked = Ids.newId();
    String purged = Ids.newId();
    Futures.await(store.commit(new StoreBatch().putQueue(queue(acked)).putQueue(queue(purged))
        .append(message(acked, 3)).append(message(acked, 4)).append(message(purged, 8)).append(message(purged, 9))),
        WAIT);
    Futures.await(store.commit(new StoreBatch().deleteMessage(acked, 3).deleteMessage(acked, 4)
        .deleteMessagesThrough(purged, Long.MAX_VALUE)), WAIT);
    Futures.await(store.close(), WAIT);

    CollectedState state = new CollectedState();
    PgMessageStore reopened = Futures.await(PgMessageStore.open(pg.vertx, pg.config), WAIT);
    Futures.await(reopened.load(state), WAIT);
    assertEquals(4L, state.sequenceHeads.get(acked));
    assertEquals(9L, state.sequenceHeads.get(purged), "a range delete raises the head to the highest it removed");
    assertEquals(List.of(), state.messages);
    Futures.await(reopened.close(), WAIT);
  }

  // A test session's transaction holding the message row inserted: a push of that row waits for it to end.
  private SqlConnection holdMessageRow(String queueId, long sequence) {
    SqlConnection locker = Futures.await(pg.observer.getConnection(), WAIT);
    Futures.await(locker.query("BEGIN").execute(), WAIT);
    Futures.await(locker.preparedQuery("INSERT INTO messaging_messages (queue_id, sequence, message_id, message_key,"
        + " content_type, timestamp_ms, available_at_ms, body) VALUES ($1, $2, 'held', NULL, 'text', 0, 0, '\\x00')")
        .execute(Tuple.of(queueId, sequence)), WAIT);
    return locker;
  }
}
