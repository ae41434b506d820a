package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.TopologySnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What changes when queues live on different shards, and what must not: a dead-letter queue on another shard
 * still gets exactly one copy (also across a restart), a queue named by name is found on its shard, an
 * account's listing spans shards in queue-id order, and reconciliation and subscription deletes reach the
 * right shard. {@link ShardEquivalenceTest} shows the same workload answers alike with one shard and many.
 */
class ShardingRulesTest {

  @RegisterExtension
  final EngineHarness engine = EngineHarness.sharded(8, 2);

  @Test
  void aDeadLetterQueueOnAnotherShardGetsTheCopyDurablyAndOnce() {
    QueueInfo source = engine.queue(QueueSettings.DEFAULTS);
    QueueInfo dlq = queueWhere(shard -> shard != shardOf(source));
    engine.pullConsumer(source.id(), 0, dlq.id());
    StoredMessage original = engine.push(source.id(), "poison").get(0);
    LeasedMessage leased = engine.pullOne(source.id(), 30_000);

    engine.ackPulled(source.id(), List.of(), List.of(new RetryRequest(leased.leaseId(), 0)));

    List<StoredMessage> copies = engine.history(dlq.id());
    assertEquals(List.of("poison"), copies.stream().map(EngineHarness::body).toList());
    FerryEvent event = deadLettered();
    assertEquals(original.id(), event.payload().getString("message_id"));
    assertEquals(dlq.id(), event.payload().getString("dead_letter_queue_id"));
    assertEquals(copies.get(0).id(), event.payload().getString("dead_letter_message_id"));
    assertEquals(0, engine.backlog(source.id()));
    assertEquals(1, engine.backlog(dlq.id()));

    engine.restart();

    assertEquals(1, engine.history(dlq.id()).size(), "the copy is durable, and there is one");
    assertEquals(0, engine.backlog(source.id()), "the source's resolution is durable too");
    assertEquals(1, engine.backlog(dlq.id()));
  }

  @Test
  void anExpiredLeaseIsDeadLetteredAcrossShardsByTheSweep() {
    QueueInfo source = engine.queue(QueueSettings.DEFAULTS);
    QueueInfo dlq = queueWhere(shard -> shard != shardOf(source));
    engine.pullConsumer(source.id(), 0, dlq.id());
    engine.push(source.id(), "late");
    engine.pullOne(source.id(), 1_000);

    engine.advance(1_000);

    assertEquals(List.of("late"), engine.history(dlq.id()).stream().map(EngineHarness::body).toList());
    assertEquals(dlq.id(), deadLettered().payload().getString("dead_letter_queue_id"));
  }

  @Test
  void aMissingDeadLetterQueueOnAnotherShardDropsTheMessageAsOnOneShard() {
    QueueInfo source = engine.queue(QueueSettings.DEFAULTS);
    String missing = idWhere(shard -> shard != shardOf(source));
    engine.pullConsumer(source.id(), 0, missing);
    engine.push(source.id(), "poison");
    LeasedMessage leased = engine.pullOne(source.id(), 30_000);

    engine.ackPulled(source.id(), List.of(), List.of(new RetryRequest(leased.leaseId(), 0)));

    FerryEvent event = deadLettered();
    assertNull(event.payload().getValue("dead_letter_queue_id"));
    assertNull(event.payload().getValue("dead_letter_message_id"));
    assertEquals(0, engine.backlog(source.id()));
  }

  @Test
  void aQueueNamedByNameIsFoundOnItsShard() {
    List<QueueInfo> queues = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queues.add(engine.queue(QueueSettings.DEFAULTS));
    }
    for (QueueInfo queue : queues) {
      EngineHarness.await(engine.engine().publish(Publication.toQueueNamed(EngineHarness.ACCOUNT, queue.name(),
          EngineHarness.text("to " + queue.name(), null), null)));
    }
    for (QueueInfo queue : queues) {
      assertEquals(List.of("to " + queue.name()),
          engine.history(queue.id()).stream().map(EngineHarness::body).toList());
    }
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, EngineHarness.failure(engine.engine().publish(
        Publication.toQueueNamed(EngineHarness.ACCOUNT, "nope", EngineHarness.text("x", null), null))).code());
  }

  @Test
  void anAccountsListingSpansShardsInQueueIdOrderAndPagesAcrossThem() {
    List<QueueInfo> queues = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      QueueInfo queue = engine.queue(QueueSettings.DEFAULTS);
      queues.add(queue);
      engine.push(queue.id(), "a", "b");
    }
    queues.sort(Comparator.comparing(QueueInfo::id));
    List<String> expected = new ArrayList<>();
    for (QueueInfo queue : queues) {
      engine.history(queue.id()).forEach(message -> expected.add(message.id()));
    }

    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      List<MessageSummary> page = EngineHarness.await(
          engine.engine().listMessages(EngineHarness.ACCOUNT, null, cursor, 5));
      page.forEach(summary -> paged.add(summary.id()));
      cursor = page.size() < 5 ? null : page.get(page.size() - 1).id();
    } while (cursor != null);

    assertEquals(expected, paged);
    assertEquals(ErrorCode.INVALID_FIELD, EngineHarness.failure(engine.engine().listMessages(
        EngineHarness.ACCOUNT, null, Ids.newId(), 5)).code());
  }

  @Test
  void reconciliationAndSubscriptionDeletesReachEveryShard() {
    List<QueueInfo> kept = new ArrayList<>();
    List<QueueInfo> dropped = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      kept.add(engine.queue(QueueSettings.DEFAULTS));
      dropped.add(engine.queue(QueueSettings.DEFAULTS));
    }
    List<SubscriptionSpec> consumers = kept.stream().map(q -> engine.pullConsumer(q.id(), 3, null)).toList();

    EngineHarness.await(engine.engine().reconcile(new TopologySnapshot(kept, consumers)));

    for (QueueInfo queue : dropped) {
      assertEquals(ErrorCode.QUEUE_NOT_FOUND, EngineHarness.failure(
          engine.engine().metrics(EngineHarness.ACCOUNT, queue.id())).code());
    }
    for (SubscriptionSpec consumer : consumers) {
      engine.push(consumer.queueId(), "m");
      EngineHarness.await(engine.engine().deleteSubscription(consumer.id()));
      assertEquals(ErrorCode.NO_PULL_CONSUMER, EngineHarness.failure(
          engine.engine().pull(EngineHarness.ACCOUNT, consumer.queueId(), 1, 1000, 0)).code());
    }
  }

  private int shardOf(QueueInfo queue) {
    return engine.shardMap().shardOf(queue.id());
  }

  private String idWhere(IntPredicate shard) {
    String id;
    do {
      id = Ids.newId();
    } while (!shard.test(engine.shardMap().shardOf(id)));
    return id;
  }

  private QueueInfo queueWhere(IntPredicate shard) {
    String id = idWhere(shard);
    return engine.upsert(new QueueInfo(id, EngineHarness.ACCOUNT, "q-" + id.substring(0, 8), 1, 1,
        QueueSettings.DEFAULTS));
  }

  private FerryEvent deadLettered() {
    List<FerryEvent> deadLettered = engine.events.stream()
        .filter(event -> event.type().equals(EventTypes.MESSAGE_DEAD_LETTERED)).toList();
    assertEquals(1, deadLettered.size(), "one dead-lettering event");
    return deadLettered.get(0);
  }
}
