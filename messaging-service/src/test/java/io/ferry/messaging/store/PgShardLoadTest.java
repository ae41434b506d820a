package io.ferry.messaging.store;

import static io.ferry.messaging.store.PgSchemaUnderTest.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.testkit.Futures;
import io.ferry.messaging.core.ShardMap;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A load of some shards (gained from another instance) hands over exactly their queues' and subscriptions'
 * entries, in the visitor's order, the same as a load of every shard has for them: nothing of another shard.
 */
class PgShardLoadTest {

  private static final ShardMap MAP = new ShardMap(PgSchemaUnderTest.SHARDS);
  private static final Set<Integer> GAINED = Set.of(2, 5);
  private static final Predicate<String> IN_GAINED = queue -> GAINED.contains(MAP.shardOf(queue));

  @RegisterExtension
  final PgSchemaUnderTest pg = new PgSchemaUnderTest();

  // Which queue each subscription reads.
  private final Map<String, String> queueOf = new HashMap<>();

  @Test
  void aLoadOfSomeShardsVisitsExactlyTheirQueuesEntriesInOrder() {
    MessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    StoreBatch batch = new StoreBatch();
    for (int shard = 0; shard < MAP.shards(); shard++) {
      for (int i = 0; i < 2; i++) {
        backlog(batch, queueOn(shard), 3);
      }
    }
    // Larger than one fetch, in a gained shard: it streams through to the end.
    String large = queueOn(2);
    backlog(batch, large, PgStartupScan.FETCH_ROWS * 2 + 7);
    // Messages of queues that are gone: the gained shard's one is handed over, for its recovery to clean up.
    String goneInGained = queueOn(5);
    String goneElsewhere = queueOn(3);
    batch.append(message(goneInGained, 1)).append(message(goneElsewhere, 1));
    Futures.await(store.commit(batch), WAIT);

    CollectedState every = new CollectedState();
    Futures.await(store.load(every), WAIT);
    CollectedState gained = new CollectedState(GAINED, IN_GAINED);
    Futures.await(store.load(gained), WAIT);
    Futures.await(store.close(), WAIT);

    assertEquals(every.queues.stream().filter(q -> IN_GAINED.test(q.id())).toList(), gained.queues);
    assertEquals(5, gained.queues.size());
    assertEquals(filter(every.sequenceHeads, IN_GAINED), gained.sequenceHeads);
    assertEquals(every.subscriptions.stream().filter(s -> IN_GAINED.test(s.queueId())).toList(),
        gained.subscriptions);
    assertEquals(filter(every.acknowledged, this::subscribesInGained), gained.acknowledged);
    assertEquals(every.purges.stream().filter(p -> IN_GAINED.test(p.queueId())).toList(), gained.purges);
    assertEquals(every.messages.stream().filter(m -> IN_GAINED.test(m.queueId())).toList(), gained.messages);
    assertEquals(every.pending.stream().filter(p -> subscribesInGained(p.subscriptionId())).toList(),
        gained.pending);
    assertEquals(List.of("queue", "head", "subscription", "acknowledged", "purge", "message", "pending"),
        gained.order);

    assertEquals(PgStartupScan.FETCH_ROWS * 2 + 7,
        gained.messages.stream().filter(m -> m.queueId().equals(large)).count());
    assertEquals(1, gained.messages.stream().filter(m -> m.queueId().equals(goneInGained)).count());
    assertTrue(gained.messages.stream().noneMatch(m -> m.queueId().equals(goneElsewhere)));
    assertTrue(every.messages.stream().anyMatch(m -> !IN_GAINED.test(m.queueId())),
        "the other shards have a backlog the load leaves out");
  }

  @Test
  void aLoadOfShardsWithNothingStoredVisitsNothing() {
    MessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(pg.vertx, pg.config));
    StoreBatch batch = new StoreBatch();
    backlog(batch, queueOn(1), 3);
    Futures.await(store.commit(batch), WAIT);

    CollectedState gained = new CollectedState(GAINED, IN_GAINED);
    Futures.await(store.load(gained), WAIT);
    Futures.await(store.close(), WAIT);

    assertEquals(List.of(), gained.order);
  }

  // A queue with a subscription (acknowledged some, with pending entries, one missed), a purge and messages.
  private void backlog(StoreBatch batch, String queue, int messages) {
    String subscription = Ids.newId();
    queueOf.put(subscription, queue);
    batch.putQueue(new QueueInfo(queue, "acct", "q-" + queue, 1, 1, QueueSettings.DEFAULTS))
        .putSubscription(new SubscriptionSpec(subscription, queue, SubscriptionSpec.Kind.PULL_CONSUMER, 5, 3, 0,
            30_000, null))
        .addAcknowledged(subscription, 1)
        .putPurge(new PurgeRecord(queue, 1_000, 0, true));
    for (long sequence = 1; sequence <= messages; sequence++) {
      batch.append(message(queue, sequence)).putPending(subscription, sequence, 0, 2_000);
    }
    batch.putMissed(subscription, messages, 3, 3_000);
  }

  private boolean subscribesInGained(String subscription) {
    return IN_GAINED.test(queueOf.get(subscription));
  }

  private static <V> Map<String, V> filter(Map<String, V> entries, Predicate<String> keep) {
    return entries.entrySet().stream().filter(e -> keep.test(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static String queueOn(int shard) {
    while (true) {
      String id = Ids.newId();
      if (MAP.shardOf(id) == shard) {
        return id;
      }
    }
  }

  private static StoredMessage message(String queue, long sequence) {
    return new StoredMessage(Ids.newId(), queue, sequence, null, ContentType.TEXT,
        ("m" + sequence).getBytes(StandardCharsets.UTF_8), 1_000, 2_000);
  }
}
