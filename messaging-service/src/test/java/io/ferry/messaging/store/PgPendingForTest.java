package io.ferry.messaging.store;

import static io.ferry.messaging.store.PgSchemaUnderTest.message;
import static io.ferry.messaging.store.PgSchemaUnderTest.queue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.postgres.SchemaMigrations;
import io.ferry.contracts.testkit.Futures;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On PostgreSQL a push keeps its pending entries on the message row ({@code pending_for}) instead of a row of
 * {@code messaging_pending} each, once every instance on the schema reads them; what the store loads is the same
 * either way, every resolution of such an entry is recorded (a bit of {@code messaging_resolved}, in the same
 * process or after a restart), and those records go with the messages, the subscription or the queue.
 */
class PgPendingForTest {

  private static final Duration WAIT = PgSchemaUnderTest.WAIT;

  @RegisterExtension
  final PgSchemaUnderTest pg = new PgSchemaUnderTest();

  private final String queue = Ids.newId();
  private final String subscription = Ids.newId();
  private final String other = Ids.newId();

  @Test
  void aPushWritesOneRowPerMessageAndItsAcksABitEach() {
    PgMessageStore store = open();
    push(store, 1, 2, 3);

    assertEquals(0, pendingRows(), "no row of messaging_pending for a push");
    assertEquals(List.of("1:" + subscription + "," + other, "2:" + subscription + "," + other,
        "3:" + subscription + "," + other), keptOnRows());
    // A message removed with its entries, an ack that keeps the message (history, another subscription still
    // has it), a retry that overrides the row's entry.
    commit(store, new StoreBatch().deletePending(subscription, 1).deletePending(other, 1).deleteMessage(queue, 1)
        .deletePending(subscription, 2).putPending(other, 3, 2, 9_000));

    assertEquals(List.of(2L, 3L), pg.stored(queue));
    assertEquals(List.of(subscription + "@0:2"), resolvedBits(), "one bit, none for the message removed");
    assertEquals(List.of(new PendingRecord(subscription, 3, 0, 2_000), new PendingRecord(other, 2, 0, 2_000),
        new PendingRecord(other, 3, 2, 9_000)), sorted(reopen(store).pending));
  }

  @Test
  void retentionForgetsTheBitsOfTheBlocksItRemovesAndTheQueueTheRest() {
    PgMessageStore store = open();
    long[] sequences = LongStream.rangeClosed(1, 2_100).toArray();
    push(store, sequences);
    StoreBatch acks = new StoreBatch();
    LongStream.of(sequences).forEach(sequence -> acks.deletePending(subscription, sequence));
    commit(store, acks);
    assertEquals(3, resolvedBits().size(), "blocks 0, 1 and 2");

    commit(store, new StoreBatch().deleteMessagesThrough(queue, 2_050).deletePendingThrough(subscription, 2_050)
        .deletePendingThrough(other, 2_050));
    assertEquals(1, resolvedBits().size(), "block 2 holds messages still stored");
    assertEquals(LongStream.rangeClosed(2_051, 2_100).mapToObj(sequence -> new PendingRecord(other, sequence, 0, 2_000))
        .toList(), sorted(reopen(store).pending));

    PgMessageStore reopened = open();
    commit(reopened, new StoreBatch().deleteQueue(queue));
    assertEquals(List.of(), resolvedBits());
    Futures.await(reopened.close(), WAIT);
  }

  @Test
  void aResolutionAfterARestartIsRecordedEvenWhenARetryOverrodeTheEntry() {
    PgMessageStore store = open();
    push(store, 1, 2);
    commit(store, new StoreBatch().putPending(subscription, 1, 3, 9_000));
    Futures.await(store.close(), WAIT);

    // A new process knows the subscription's queue only from what it loads.
    PgMessageStore restarted = open();
    Futures.await(restarted.load(new CollectedState()), WAIT);
    commit(restarted, new StoreBatch().deletePending(subscription, 1).deletePending(other, 2));

    assertEquals(List.of(subscription + "@0:1", other + "@0:2"), resolvedBits().stream().sorted(
        Comparator.comparing((String row) -> !row.startsWith(subscription))).toList());
    assertEquals(List.of(new PendingRecord(subscription, 2, 0, 2_000), new PendingRecord(other, 1, 0, 2_000)),
        sorted(reopen(restarted).pending));
  }

  @Test
  void rangeResolutionsAndDeletingTheSubscriptionTakeItsEntriesOffTheRows() {
    PgMessageStore store = open();
    push(store, 1, 2, 3, 4);
    commit(store, new StoreBatch().deletePendingThrough(subscription, 2).deletePending(other, 3));
    assertEquals(List.of("1:" + other, "2:" + other, "3:" + subscription + "," + other,
        "4:" + subscription + "," + other), keptOnRows());
    assertEquals(List.of(other + "@0:3"), resolvedBits());

    commit(store, new StoreBatch().deleteSubscription(other));
    assertEquals(List.of("1:", "2:", "3:" + subscription, "4:" + subscription), keptOnRows());
    assertEquals(List.of(), resolvedBits());
    assertEquals(List.of(new PendingRecord(subscription, 3, 0, 2_000), new PendingRecord(subscription, 4, 0, 2_000)),
        sorted(reopen(store).pending));
  }

  @Test
  void aPushResolvedInItsOwnGroupLeavesNothingOnItsRow() {
    PgMessageStore store = open();
    StoreBatch batch = new StoreBatch().putQueue(queue(queue)).putSubscription(spec(subscription))
        .append(message(queue, 1)).createPending(subscription, 1, 2_000)
        .deletePending(subscription, 1);
    commit(store, batch);

    assertEquals(List.of("1:"), keptOnRows());
    assertEquals(List.of(), resolvedBits());
    assertEquals(List.of(), reopen(store).pending);
  }

  @Test
  void whileAnInstanceThatDoesNotReadThemIsRememberedPushesWritePendingRows() {
    // An instance of an older build, running since before the schema was migrated (its heartbeat row says false),
    // stalled for a few leases: no longer counted live, but it may come back and claim shards.
    Futures.await(SchemaMigrations.apply(pg.observer, pg.config.schema(), "messaging"), WAIT);
    Futures.await(pg.observer.preparedQuery("INSERT INTO messaging_instances (instance, seen_at)"
        + " VALUES ('older', now() - $1::bigint * interval '1 ms')")
        .execute(Tuple.of(3 * PgMessageStore.DEFAULT_SHARD_LEASE_MS)), WAIT);
    PgMessageStore store = open();
    push(store, 1);

    assertEquals(2, pendingRows());
    assertEquals(List.of("1:"), keptOnRows());
    assertEquals(List.of(new PendingRecord(subscription, 1, 0, 2_000), new PendingRecord(other, 1, 0, 2_000)),
        sorted(reopen(store).pending));
  }

  private PgMessageStore open() {
    return PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
  }

  // Each message pending for both subscriptions, as the engine's push writes it.
  private void push(PgMessageStore store, long... sequences) {
    StoreBatch batch = new StoreBatch().putQueue(queue(queue)).putSubscription(spec(subscription))
        .putSubscription(spec(other));
    for (long sequence : sequences) {
      batch.append(message(queue, sequence)).createPending(subscription, sequence, 2_000)
          .createPending(other, sequence, 2_000);
    }
    commit(store, batch);
  }

  private SubscriptionSpec spec(String id) {
    return new SubscriptionSpec(id, queue, SubscriptionSpec.Kind.PULL_CONSUMER, 5, 3, 0, 30_000, null);
  }

  private static void commit(MessageStore store, StoreBatch batch) {
    Futures.await(store.commit(batch), WAIT);
  }

  private CollectedState reopen(PgMessageStore store) {
    Futures.await(store.close(), WAIT);
    PgMessageStore reopened = open();
    CollectedState state = new CollectedState();
    Futures.await(reopened.load(state), WAIT);
    Futures.await(reopened.close(), WAIT);
    return state;
  }

  private long pendingRows() {
    return Futures.await(pg.observer.query("SELECT count(*) FROM messaging_pending").execute(), WAIT)
        .iterator().next().getLong(0);
  }

  // "sequence:subscriptions" of each message row, the subscriptions in the order this test knows them.
  private List<String> keptOnRows() {
    List<String> rows = new ArrayList<>();
    for (Row row : Futures.await(pg.observer.preparedQuery("SELECT sequence, pending_for FROM messaging_messages"
        + " WHERE queue_id = $1 ORDER BY sequence").execute(Tuple.of(queue)), WAIT)) {
      String[] kept = row.getArrayOfStrings(1);
      List<String> names = kept == null ? List.of() : Arrays.stream(kept)
          .sorted((a, b) -> Boolean.compare(!a.equals(subscription), !b.equals(subscription))).toList();
      rows.add(row.getLong(0) + ":" + String.join(",", names));
    }
    return rows;
  }

  // Subscription ids are random: this test's subscription first, then the other.
  // "subscription@block:sequences" of each row of messaging_resolved of the queue, the bits as the sequences set.
  private List<String> resolvedBits() {
    List<String> rows = new ArrayList<>();
    for (Row row : Futures.await(pg.observer.preparedQuery("SELECT subscription_id, block, bits::text"
        + " FROM messaging_resolved WHERE queue_id = $1 ORDER BY subscription_id, block").execute(Tuple.of(queue)),
        WAIT)) {
      String bits = row.getString(2);
      long block = row.getLong(1);
      String set = IntStream.range(0, bits.length()).filter(i -> bits.charAt(i) == '1')
          .mapToObj(i -> String.valueOf(block * bits.length() + i)).collect(Collectors.joining(","));
      rows.add(row.getString(0) + "@" + block + ":" + (set.length() > 40 ? set.length() + " chars" : set));
    }
    return rows;
  }

  private List<PendingRecord> sorted(List<PendingRecord> pending) {
    return pending.stream().sorted(Comparator.comparing((PendingRecord p) -> !p.subscriptionId().equals(subscription))
        .thenComparingLong(PendingRecord::sequence)).toList();
  }
}
