package io.ferry.messaging.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageStore} must do. A storage engine passes by extending this class with a way to
 * open (and reopen) one store instance's storage.
 */
abstract class MessageStoreContract {

  private MessageStore store;
  private final String queueId = Ids.newId();
  private final String subscriptionId = Ids.newId();

  /** Opens the storage under test; called again after {@link MessageStore#close()} to reopen the same data. */
  protected abstract MessageStore openStore();

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    await(store.close());
  }

  @Test
  void appendedMessagesReadBackAsWritten() {
    commit(new StoreBatch().putQueue(queue())
        .append(message(1, null, ContentType.JSON, "{\"a\":1}"))
        .append(message(2, "k", ContentType.TEXT, "hello"))
        .append(message(3, "k", ContentType.BYTES, "\u0000\u0001")));

    List<StoredMessage> read = await(store.read(queueId, List.of(3L, 1L, 99L)));
    assertEquals(2, read.size());
    assertEquals(3, read.get(0).sequence());
    assertEquals(ContentType.BYTES, read.get(0).contentType());
    assertArrayEquals("\u0000\u0001".getBytes(StandardCharsets.UTF_8), read.get(0).body());
    assertEquals("k", read.get(0).key());
    StoredMessage first = read.get(1);
    assertEquals(message(1, null, ContentType.JSON, "{\"a\":1}").id(), first.id());
    assertNull(first.key());
    assertEquals("{\"a\":1}", new String(first.body(), StandardCharsets.UTF_8));
    assertEquals(1_000L, first.timestampMs());
    assertEquals(2_000L, first.availableAtMs());
  }

  @Test
  void scanReturnsARangeInSequenceOrderFilteredByKey() {
    StoreBatch batch = new StoreBatch().putQueue(queue());
    for (long sequence = 1; sequence <= 6; sequence++) {
      batch.append(message(sequence, sequence % 2 == 0 ? "even" : "odd", ContentType.TEXT, "m" + sequence));
    }
    commit(batch);

    assertEquals(List.of(2L, 3L, 4L), sequences(await(store.scan(queueId, 2, 4, null, 10))));
    assertEquals(List.of(2L, 4L, 6L), sequences(await(store.scan(queueId, 1, 6, "even", 10))));
    assertEquals(List.of(1L, 2L), sequences(await(store.scan(queueId, 0, 100, null, 2))));
    assertEquals(List.of(), sequences(await(store.scan(Ids.newId(), 0, 100, null, 10))));
  }

  @Test
  void scanByKeyFindsMessagesWithoutAKeyByTheirId() {
    StoredMessage keyless = message(1, null, ContentType.JSON, "{}");
    StoredMessage keyed = message(2, keyless.id(), ContentType.TEXT, "named like the first one's id");
    StoredMessage other = message(3, "other", ContentType.TEXT, "x");
    commit(new StoreBatch().putQueue(queue()).append(keyless).append(keyed).append(other));

    assertEquals(List.of(1L, 2L), sequences(await(store.scan(queueId, 0, 100, keyless.id(), 10))));
    assertEquals(List.of(3L), sequences(await(store.scan(queueId, 0, 100, "other", 10))));
    assertEquals(List.of(), sequences(await(store.scan(queueId, 0, 100, other.id(), 10))),
        "a message with a key is not found by its id");
  }

  @Test
  void sequenceHeadsSurviveReopenEvenWhenTheMessagesAreGone() {
    commit(new StoreBatch().putQueue(queue()).append(message(1, null, ContentType.TEXT, "a"))
        .append(message(7, null, ContentType.TEXT, "b")));
    commit(new StoreBatch().deleteMessage(queueId, 1).deleteMessage(queueId, 7));

    CollectedState state = reopen();
    assertEquals(7L, state.sequenceHeads.get(queueId));
    assertEquals(List.of(), state.messages);
  }

  @Test
  void ackRemovesPendingEntryAndMessageDurably() {
    commit(new StoreBatch().putQueue(queue()).putSubscription(subscription())
        .append(message(1, null, ContentType.TEXT, "a"))
        .putPending(subscriptionId, 1, 0, 2_000));
    commit(new StoreBatch().deletePending(subscriptionId, 1).deleteMessage(queueId, 1));

    CollectedState state = reopen();
    assertEquals(List.of(), state.pending);
    assertEquals(List.of(), state.messages);
    assertEquals(List.of(), await(store.read(queueId, List.of(1L))));
  }

  @Test
  void unresolvedMessagesAndTopologyAreRecoveredAfterReopen() {
    commit(new StoreBatch().putQueue(queue()).putSubscription(subscription())
        .append(message(1, null, ContentType.TEXT, "abc"))
        .append(message(2, null, ContentType.TEXT, "de"))
        .putPending(subscriptionId, 1, 0, 2_000)
        .putPending(subscriptionId, 2, 0, 2_000));
    commit(new StoreBatch().putPending(subscriptionId, 2, 3, 9_000));

    CollectedState state = reopen();
    assertEquals(List.of(queue()), state.queues);
    assertEquals(List.of(subscription()), state.subscriptions);
    assertEquals(List.of(new MessageMeta(queueId, 1, 3, 1_000, 2_000), new MessageMeta(queueId, 2, 2, 1_000, 2_000)),
        state.messages);
    assertEquals(List.of(new PendingRecord(subscriptionId, 1, 0, 2_000), new PendingRecord(subscriptionId, 2, 3, 9_000)),
        state.pending);
  }

  @Test
  void aPushsPendingEntriesAreCreatedForEverySubscriptionAndRewrittenLikeAnyOther() {
    String otherSubscription = Ids.newId();
    StoreBatch push = new StoreBatch().putQueue(queue()).putSubscription(subscription());
    for (long sequence = 1; sequence <= 3; sequence++) {
      push.append(message(sequence, null, ContentType.TEXT, "m" + sequence))
          .createPending(subscriptionId, sequence, 2_000)
          .createPending(otherSubscription, sequence, 2_000);
    }
    // A created entry rewritten in the same batch: the rewrite wins, as between puts.
    commit(push.putPending(subscriptionId, 3, 1, 2_500));
    assertEquals(List.of(new PendingRecord(subscriptionId, 1, 0, 2_000), new PendingRecord(subscriptionId, 2, 0, 2_000),
        new PendingRecord(subscriptionId, 3, 1, 2_500), new PendingRecord(otherSubscription, 1, 0, 2_000),
        new PendingRecord(otherSubscription, 2, 0, 2_000), new PendingRecord(otherSubscription, 3, 0, 2_000)),
        sortedPending(reopen()));

    // A retry, a miss and a resolution of entries a push created, beside the next push's entries.
    commit(new StoreBatch().putPending(subscriptionId, 1, 2, 9_000).putMissed(otherSubscription, 2, 5, 0)
        .deletePending(otherSubscription, 1)
        .append(message(4, null, ContentType.TEXT, "m4")).createPending(subscriptionId, 4, 3_000));
    assertEquals(List.of(new PendingRecord(subscriptionId, 1, 2, 9_000), new PendingRecord(subscriptionId, 2, 0, 2_000),
        new PendingRecord(subscriptionId, 3, 1, 2_500), new PendingRecord(subscriptionId, 4, 0, 3_000),
        new PendingRecord(otherSubscription, 2, 5, 0, true), new PendingRecord(otherSubscription, 3, 0, 2_000)),
        sortedPending(reopen()));
  }

  private List<PendingRecord> sortedPending(CollectedState state) {
    // Subscription ids are random: this test's own subscription first, then the other.
    return state.pending.stream().sorted(java.util.Comparator
        .comparing((PendingRecord p) -> !p.subscriptionId().equals(subscriptionId))
        .thenComparingLong(PendingRecord::sequence)).toList();
  }

  @Test
  void aCommitLeavesEachQueuesHighestAppendAsItsHeadUnlessItDeletesTheQueueAfterwards() {
    String other = Ids.newId();
    String deleted = Ids.newId();
    commit(new StoreBatch().putQueue(queue())
        .putQueue(new QueueInfo(other, "acct", "other", 1, 1, QueueSettings.DEFAULTS))
        .putQueue(new QueueInfo(deleted, "acct", "deleted", 1, 1, QueueSettings.DEFAULTS))
        .append(message(3, null, ContentType.TEXT, "a"))
        .append(new StoredMessage(Ids.newId(), other, 1, null, ContentType.TEXT, new byte[] {1}, 1, 1))
        .append(message(4, null, ContentType.TEXT, "b"))
        .append(new StoredMessage(Ids.newId(), deleted, 9, null, ContentType.TEXT, new byte[] {2}, 1, 1))
        .append(message(5, null, ContentType.TEXT, "c"))
        .deleteQueue(deleted));

    CollectedState state = reopen();
    assertEquals(Map.of(queueId, 5L, other, 1L), state.sequenceHeads);
    assertEquals(List.of(3L, 4L, 5L), state.messages.stream().filter(m -> m.queueId().equals(queueId))
        .map(MessageMeta::sequence).toList());
  }

  @Test
  void theHeadsOfACommitThatDeletesTheFirstQueueItAppendedToAreTheOthersHighest() {
    String other = Ids.newId();
    String third = Ids.newId();
    commit(new StoreBatch().putQueue(queue())
        .putQueue(new QueueInfo(other, "acct", "other", 1, 1, QueueSettings.DEFAULTS))
        .putQueue(new QueueInfo(third, "acct", "third", 1, 1, QueueSettings.DEFAULTS)));
    commit(new StoreBatch()
        .append(message(8, null, ContentType.TEXT, "a"))
        .append(new StoredMessage(Ids.newId(), other, 6, null, ContentType.TEXT, new byte[] {1}, 1, 1))
        .deleteQueue(queueId)
        .append(new StoredMessage(Ids.newId(), other, 7, null, ContentType.TEXT, new byte[] {2}, 1, 1))
        .append(new StoredMessage(Ids.newId(), third, 2, null, ContentType.TEXT, new byte[] {3}, 1, 1))
        .append(new StoredMessage(Ids.newId(), other, 5, null, ContentType.TEXT, new byte[] {4}, 1, 1)));

    assertEquals(Map.of(other, 7L, third, 2L), reopen().sequenceHeads);
  }

  @Test
  void deletingAQueueAndASubscriptionRemovesEverythingTheyOwn() {
    String otherQueue = Ids.newId();
    commit(new StoreBatch().putQueue(queue()).putSubscription(subscription())
        .append(message(1, null, ContentType.TEXT, "a"))
        .putPending(subscriptionId, 1, 0, 0)
        .putQueue(new QueueInfo(otherQueue, "acct", "other", 1, 1, QueueSettings.DEFAULTS))
        .append(new StoredMessage(Ids.newId(), otherQueue, 1, null, ContentType.TEXT, new byte[] {1}, 1, 1)));
    commit(new StoreBatch().deleteQueue(queueId).deleteSubscription(subscriptionId));

    CollectedState state = reopen();
    assertEquals(List.of(otherQueue), state.queues.stream().map(QueueInfo::id).toList());
    assertEquals(List.of(), state.subscriptions);
    assertEquals(List.of(), state.pending);
    assertEquals(List.of(new MessageMeta(otherQueue, 1, 1, 1, 1)), state.messages);
  }

  @Test
  void rangeDeletesRemoveMessagesAndPendingUpToASequenceOnly() {
    String otherSubscription = Ids.newId();
    StoreBatch batch = new StoreBatch().putQueue(queue()).putSubscription(subscription());
    for (long sequence = 1; sequence <= 5; sequence++) {
      batch.append(message(sequence, null, ContentType.TEXT, "m" + sequence))
          .putPending(subscriptionId, sequence, 0, 0)
          .putPending(otherSubscription, sequence, 0, 0);
    }
    commit(batch);
    commit(new StoreBatch().deleteMessagesThrough(queueId, 3).deletePendingThrough(subscriptionId, 3));

    CollectedState state = reopen();
    assertEquals(List.of(4L, 5L), state.messages.stream().map(MessageMeta::sequence).toList());
    assertEquals(List.of(4L, 5L), state.pending.stream().filter(p -> p.subscriptionId().equals(subscriptionId))
        .map(PendingRecord::sequence).toList());
    assertEquals(5, state.pending.stream().filter(p -> p.subscriptionId().equals(otherSubscription)).count(),
        "another subscription's entries are untouched");
    commit(new StoreBatch().deleteMessagesThrough(queueId, Long.MAX_VALUE));
    assertEquals(List.of(), reopen().messages);
  }

  @Test
  void purgeRecordsAreKeptPerQueueAndGoWithTheQueue() {
    commit(new StoreBatch().putQueue(queue()).putPurge(new PurgeRecord(queueId, 5_000, 7, false)));
    commit(new StoreBatch().putPurge(new PurgeRecord(queueId, 5_000, 7, true)));
    assertEquals(List.of(new PurgeRecord(queueId, 5_000, 7, true)), reopen().purges);
    commit(new StoreBatch().deleteQueue(queueId));
    assertEquals(List.of(), reopen().purges);
  }

  @Test
  void loadVisitsInTheDocumentedOrder() {
    commit(new StoreBatch().putQueue(queue()).putSubscription(subscription())
        .putPurge(new PurgeRecord(queueId, 1, 0, true))
        .append(message(1, null, ContentType.TEXT, "a"))
        .putPending(subscriptionId, 1, 0, 0)
        .addAcknowledged(subscriptionId, 1));
    assertEquals(List.of("queue", "head", "subscription", "acknowledged", "purge", "message", "pending"),
        reopen().order);
  }

  @Test
  void missedEntriesAreKeptAsMissedAndBecomePlainAgainWhenReplaced() {
    StoreBatch batch = new StoreBatch().putQueue(queue()).putSubscription(subscription());
    for (long sequence = 1; sequence <= 3; sequence++) {
      batch.append(message(sequence, null, ContentType.TEXT, "m" + sequence))
          .putPending(subscriptionId, sequence, 0, 2_000);
    }
    commit(batch);
    commit(new StoreBatch().putMissed(subscriptionId, 1, 4, 0).putMissed(subscriptionId, 2, 7, 0));
    // A plain entry read right after a missed one must not inherit its state.
    assertEquals(List.of(new PendingRecord(subscriptionId, 1, 4, 0, true),
        new PendingRecord(subscriptionId, 2, 7, 0, true), new PendingRecord(subscriptionId, 3, 0, 2_000)),
        reopen().pending);

    commit(new StoreBatch().putPending(subscriptionId, 2, 0, 5_000));
    assertEquals(List.of(new PendingRecord(subscriptionId, 1, 4, 0, true),
        new PendingRecord(subscriptionId, 2, 0, 5_000, false), new PendingRecord(subscriptionId, 3, 0, 2_000)),
        reopen().pending);
    commit(new StoreBatch().deletePendingThrough(subscriptionId, 1));
    assertEquals(List.of(2L, 3L), reopen().pending.stream().map(PendingRecord::sequence).toList());
  }

  @Test
  void acknowledgedCountersAddUpDurablyAndGoWithTheirSubscription() {
    String other = Ids.newId();
    commit(new StoreBatch().putQueue(queue()).putSubscription(subscription()).addAcknowledged(subscriptionId, 2));
    commit(new StoreBatch().addAcknowledged(subscriptionId, 3).addAcknowledged(other, 1));
    commit(new StoreBatch().addAcknowledged(subscriptionId, 1));
    CollectedState state = reopen();
    assertEquals(6L, state.acknowledged.get(subscriptionId));
    assertEquals(1L, state.acknowledged.get(other));

    commit(new StoreBatch().addAcknowledged(subscriptionId, 10));
    assertEquals(16L, reopen().acknowledged.get(subscriptionId), "increments after a reopen add to the total");
    commit(new StoreBatch().deleteSubscription(subscriptionId));
    commit(new StoreBatch().putSubscription(subscription()).addAcknowledged(subscriptionId, 1));
    assertEquals(1L, reopen().acknowledged.get(subscriptionId), "a deleted subscription's counter is gone");
  }

  @Test
  void headersBySequenceLeaveOutMissingMessages() {
    commit(new StoreBatch().putQueue(queue())
        .append(message(1, null, ContentType.TEXT, "a"))
        .append(message(2, "k", ContentType.BYTES, "b"))
        .append(message(5, null, ContentType.JSON, "{}")));
    assertEquals(List.of(new MessageHeader(5, message(5, null, ContentType.JSON, "{}").id(), null),
        new MessageHeader(2, message(2, "k", ContentType.BYTES, "b").id(), "k")),
        await(store.headers(queueId, List.of(5L, 3L, 2L))));
    assertEquals(List.of(), await(store.headers(Ids.newId(), List.of(1L))));
  }

  @Test
  void headersListIdsAndKeysWithoutBodies() {
    commit(new StoreBatch().putQueue(queue())
        .append(message(1, null, ContentType.TEXT, "a"))
        .append(message(2, "k", ContentType.BYTES, "b"))
        .append(message(3, "k", ContentType.JSON, "{}")));
    List<MessageHeader> headers = await(store.headers(queueId, 2, 10, 10));
    assertEquals(List.of(new MessageHeader(2, message(2, "k", ContentType.BYTES, "b").id(), "k"),
        new MessageHeader(3, message(3, "k", ContentType.JSON, "{}").id(), "k")), headers);
    assertEquals(1, await(store.headers(queueId, 1, 10, 1)).size());
    MessageHeader keyless = await(store.headers(queueId, 1, 1, 10)).get(0);
    assertNull(keyless.key());
    assertEquals(keyless.id(), keyless.frameId());
  }

  @Test
  void concurrentCommitsAllSucceedAndShareSyncs() throws Exception {
    commit(new StoreBatch().putQueue(queue()));
    long syncsBefore = store.syncCount();
    int writers = 16;
    int commitsPerWriter = 25;
    List<Thread> threads = new ArrayList<>();
    List<Future<Void>> commits = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int w = 0; w < writers; w++) {
      int writer = w;
      threads.add(new Thread(() -> {
        for (int i = 0; i < commitsPerWriter; i++) {
          long sequence = 1 + writer * commitsPerWriter + i;
          commits.add(store.commit(new StoreBatch().append(message(sequence, null, ContentType.TEXT, "m"))));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    for (Future<Void> commit : commits) {
      await(commit);
    }
    int total = writers * commitsPerWriter;
    long syncs = store.syncCount() - syncsBefore;
    assertTrue(syncs < total, "expected shared syncs, got " + syncs + " for " + total + " commits");
    assertEquals(total, await(store.scan(queueId, 0, Long.MAX_VALUE, null, 1000)).size());
  }

  @Test
  void aClosedStoreRefusesWork() {
    await(store.close());
    FerryException refused = failure(store.commit(new StoreBatch().putQueue(queue())));
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    store = openStore();
  }

  @Test
  void commitsThroughShardsAreTheStoresDurableStateAndEachShardReadsWhatTheStoreHolds() {
    MessageStore shard0 = store.forShard(0);
    MessageStore shard1 = store.forShard(1);
    String otherQueue = Ids.newId();
    StoredMessage otherMessage = new StoredMessage(Ids.newId(), otherQueue, 1, null, ContentType.TEXT,
        "b".getBytes(StandardCharsets.UTF_8), 1_000, 2_000);

    await(shard0.commit(new StoreBatch().putQueue(queue()).append(message(1, null, ContentType.TEXT, "a"))));
    await(shard1.commit(new StoreBatch().putQueue(new QueueInfo(otherQueue, "acct", "other", 1, 2,
        QueueSettings.DEFAULTS)).append(otherMessage)));
    await(shard0.commit(new StoreBatch().append(message(2, null, ContentType.TEXT, "c"))));

    assertEquals(List.of(1L, 2L), sequences(await(shard1.read(queueId, List.of(1L, 2L)))));
    assertEquals(List.of(1L), sequences(await(shard0.scan(otherQueue, 0, 10, null, 10))));
    CollectedState state = reopen();
    assertEquals(Set.of(queueId, otherQueue), state.queues.stream().map(QueueInfo::id).collect(Collectors.toSet()));
    assertEquals(List.of(1L, 2L), sequences(await(store.read(queueId, List.of(1L, 2L)))));
  }

  private CollectedState reopen() {
    await(store.close());
    store = openStore();
    CollectedState state = new CollectedState();
    await(store.load(state));
    return state;
  }

  private QueueInfo queue() {
    return new QueueInfo(queueId, "acct", "orders", 1, 2, QueueSettings.DEFAULTS);
  }

  private SubscriptionSpec subscription() {
    return new SubscriptionSpec(subscriptionId, queueId, SubscriptionSpec.Kind.PULL_CONSUMER, 5, 3, 0, 30_000, null);
  }

  private StoredMessage message(long sequence, String key, ContentType type, String body) {
    String id = String.format("%032x", sequence + queueId.hashCode());
    return new StoredMessage(id, queueId, sequence, key, type, body.getBytes(StandardCharsets.UTF_8), 1_000, 2_000);
  }

  private void commit(StoreBatch batch) {
    await(store.commit(batch));
  }

  private static List<Long> sequences(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::sequence).toList();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("operation failed", e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static FerryException failure(Future<?> future) {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    return assertInstanceOf(FerryException.class, failed.getCause());
  }
}
