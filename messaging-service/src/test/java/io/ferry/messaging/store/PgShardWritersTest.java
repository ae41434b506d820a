package io.ferry.messaging.store;

import static io.ferry.messaging.store.PgSchemaUnderTest.message;
import static io.ferry.messaging.store.PgSchemaUnderTest.queue;
import static org.awaitility.Awaitility.waitAtMost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On PostgreSQL each shard commits through a writer of its own: one shard's transaction held up does not hold up
 * another shard's, while a shard's own commits still become durable in the order they were asked for.
 */
class PgShardWritersTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  final PgSchemaUnderTest pg = new PgSchemaUnderTest();

  @Test
  void aShardCommitsWhileAnotherShardsTransactionIsInFlightAndThatShardsCommitsStayInOrder() {
    PgMessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    String held = Ids.newId();
    String free = Ids.newId();
    Futures.await(store.commit(new StoreBatch().putQueue(queue(held)).putQueue(queue(free))), WAIT);
    long transactionsBefore = store.syncCount();
    SqlConnection locker = pg.lockQueueRow(held);
    MessageStore shard0 = store.forShard(0);
    MessageStore shard1 = store.forShard(1);
    List<String> completed = Collections.synchronizedList(new ArrayList<>());

    Future<Void> first = shard0.commit(new StoreBatch().putQueue(queue(held)).append(message(held, 1)))
        .onSuccess(v -> completed.add("first"));
    waitAtMost(WAIT).until(() -> pg.blockedBy(PgSchemaUnderTest.pid(locker)) == 1);
    Future<Void> second = shard0.commit(new StoreBatch().append(message(held, 2)))
        .onSuccess(v -> completed.add("second"));
    Futures.await(shard1.commit(new StoreBatch().putQueue(queue(free)).append(message(free, 1))), WAIT);

    assertEquals(1, pg.blockedBy(PgSchemaUnderTest.pid(locker)), "shard 0's transaction is still in flight");
    assertFalse(first.isComplete());
    assertFalse(second.isComplete(), "a shard's later commit waits for its earlier one");
    assertEquals(List.of(1L), pg.stored(free));
    assertEquals(List.of(), pg.stored(held));

    Futures.await(locker.query("COMMIT").execute().eventually(locker::close), WAIT);
    Futures.await(Future.all(first, second), WAIT);
    assertEquals(List.of("first", "second"), completed);
    assertEquals(List.of(1L, 2L), pg.stored(held));
    assertEquals(3, store.syncCount() - transactionsBefore, "transactions of every writer are counted");
    assertEquals(2, store.shardWriterCount());
    Futures.await(store.close(), WAIT);
  }

  @Test
  void closingDrainsEveryShardsWriterThenRefusesCommitsOfAnyShard() {
    PgMessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    String held = Ids.newId();
    Futures.await(store.commit(new StoreBatch().putQueue(queue(held))), WAIT);
    SqlConnection locker = pg.lockQueueRow(held);
    Future<Void> inFlight = store.forShard(5).commit(new StoreBatch().putQueue(queue(held)).append(message(held, 1)));
    waitAtMost(WAIT).until(() -> pg.blockedBy(PgSchemaUnderTest.pid(locker)) == 1);

    Future<Void> closed = store.close();
    assertFalse(closed.isComplete(), "close waits for the shard's transaction in flight");
    Futures.await(locker.query("COMMIT").execute().eventually(locker::close), WAIT);
    Futures.await(closed, WAIT);
    Futures.await(inFlight, WAIT);
    assertEquals(List.of(1L), pg.stored(held));
    assertEquals(ErrorCode.UNAVAILABLE,
        Futures.failure(store.forShard(5).commit(new StoreBatch().append(message(held, 2))), WAIT).code());
    assertEquals(ErrorCode.UNAVAILABLE,
        Futures.failure(store.forShard(6).commit(new StoreBatch().append(message(held, 3))), WAIT).code(),
        "a shard that never committed before the close is refused too");
  }

  @Test
  void shardsShareTheConfiguredWritersAndWithOneTheyCommitThroughTheStoresOwn() {
    PgMessageStore one = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config,
        PgMessageStore.DEFAULT_BODY_CACHE_BYTES, 1, PgMessageStore.DEFAULT_SHARD_LEASE_MS));
    String alone = Ids.newId();
    Futures.await(one.forShard(3).commit(new StoreBatch().putQueue(queue(alone)).append(message(alone, 1))), WAIT);
    assertEquals(0, one.shardWriterCount(), "with one writer, shards commit through the store's own");
    assertEquals(List.of(1L), pg.stored(alone));
    Futures.await(one.close(), WAIT);

    PgMessageStore two = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config,
        PgMessageStore.DEFAULT_BODY_CACHE_BYTES, 2, PgMessageStore.DEFAULT_SHARD_LEASE_MS));
    String queue = Ids.newId();
    Futures.await(two.forShard(0).commit(new StoreBatch().putQueue(queue(queue))), WAIT);
    Futures.await(two.forShard(2).commit(new StoreBatch().append(message(queue, 1))), WAIT);
    assertEquals(1, two.shardWriterCount(), "shards 0 and 2 commit through writer 0");
    Futures.await(two.forShard(5).commit(new StoreBatch().append(message(queue, 2))), WAIT);
    assertEquals(2, two.shardWriterCount());
    assertEquals(List.of(1L, 2L), pg.stored(queue));
    Futures.await(two.close(), WAIT);
  }
}
