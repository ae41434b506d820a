package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.SubscriptionStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention keeps a message for exactly its queue's retention period, then removes it for every subscription. */
class RetentionRulesTest {

  @RegisterExtension
  final EngineHarness engine = new EngineHarness();

  @Test
  void expiredMessagesAreRemovedForEverySubscriptionAndNewerOnesStay() {
    QueueInfo queue = engine.queue(new QueueSettings(0, false, 1));
    SubscriptionSpec listener = engine.listener(queue.id(), SubscriptionSpec.UNLIMITED_RETRIES, null);
    engine.pullConsumer(queue.id(), 3, null);
    engine.push(queue.id(), "old-1", "old-2");
    assertEquals(List.of("old-1", "old-2"), DeliveryRulesTest.bodies(engine.lease(queue.id(), listener.id(), 30_000)),
        "leased when they expire");
    engine.advance(700);
    engine.push(queue.id(), "new");
    engine.advance(300);
    assertEquals(List.of("old-1", "old-2", "new"), bodies(engine.history(queue.id())),
        "retained through the last millisecond of the period");
    engine.advance(1);
    assertEquals(List.of("new"), bodies(engine.history(queue.id())));
    assertEquals(List.of("new"), DeliveryRulesTest.bodies(engine.pull(queue.id(), 30_000)),
        "the consumer only gets what is retained");
    assertEquals(List.of("new"), DeliveryRulesTest.bodies(engine.lease(queue.id(), listener.id(), 30_000)));
    assertEquals(1, engine.backlog(queue.id()));

    engine.restart();
    assertEquals(List.of("new"), bodies(engine.history(queue.id())), "expired messages stay gone");
    engine.advance(700);
    assertEquals(List.of(), engine.history(queue.id()), "and the survivor expires in its turn");
  }

  @Test
  void aQueueWithoutSubscriptionsKeepsHistoryForItsRetentionPeriod() {
    QueueInfo queue = engine.queue(new QueueSettings(0, false, 3));
    engine.push(queue.id(), "kept");
    engine.advance(3_000);
    assertEquals(List.of("kept"), bodies(engine.history(queue.id())));
    engine.advance(1);
    assertEquals(List.of(), engine.history(queue.id()));
    assertEquals(1, EngineHarness.await(engine.engine().history(new HistoryRequest(queue.id(), 1, null, 10)))
        .headSequence(), "sequences are never reused");
  }

  @Test
  void retentionStillRemovesAckedMessagesAndTheOldestRetainedSequenceTellsTheGap() {
    QueueInfo queue = engine.queue(new QueueSettings(0, false, 1));
    engine.pullConsumer(queue.id(), 3, null);
    engine.push(queue.id(), "old");
    LeasedMessage pulled = engine.pullOne(queue.id(), 30_000);
    assertEquals(1, engine.ackPulled(queue.id(), List.of(pulled.leaseId()), List.of()).ackCount());
    engine.advance(1_000);
    assertEquals(List.of("old"), bodies(engine.history(queue.id())), "an acked message is history until it expires");
    engine.advance(1);
    engine.push(queue.id(), "new");
    HistoryPage history = EngineHarness.await(engine.engine().history(new HistoryRequest(queue.id(), 1, null, 10)));
    assertEquals(List.of(2L), history.messages().stream().map(StoredMessage::sequence).toList());
    assertEquals(2, history.oldestSequence(), "a reader that asked for 1 can tell it is gone");
    assertEquals(2, history.headSequence());
  }

  @Test
  void missedMessagesDoNotHoldBackOtherRemovalsAndTheirRetentionStillApplies() {
    QueueInfo queue = engine.queue(new QueueSettings(0, false, 2));
    SubscriptionSpec listener = engine.listener(queue.id(), SubscriptionSpec.UNLIMITED_RETRIES, null);
    SubscriptionRef ref = new SubscriptionRef(queue.id(), listener.id());
    String missed = engine.push(queue.id(), "missed").get(0).id();
    LeasedMessage toMiss = engine.lease(queue.id(), listener.id(), 30_000).get(0);
    EngineHarness.await(engine.engine().ack(new AckRequest(queue.id(), listener.id(), List.of(), List.of(),
        List.of(toMiss.leaseId()), List.of())));
    engine.advance(1);
    engine.push(queue.id(), "acked");
    LeasedMessage toAck = engine.lease(queue.id(), listener.id(), 30_000).get(0);
    assertEquals(Map.of(), engine.settle(queue.id(), listener.id(), List.of(toAck.leaseId()), List.of()).warnings());
    assertEquals(List.of(missed), retainedIds(queue));
    assertEquals(2, engine.history(queue.id()).size(), "the acked one is still history");

    engine.advance(2_000);
    assertEquals(List.of("acked"), bodies(engine.history(queue.id())), "the missed one expired first");
    engine.advance(1);
    assertEquals(List.of(), engine.history(queue.id()));
    assertEquals(List.of(), retainedIds(queue));
    assertEquals(new SubscriptionStats(1, 0, List.of()), EngineHarness.await(engine.engine().subscriptionStats(ref)));
    assertEquals(0, EngineHarness.await(engine.engine().redeliver(new RedeliverRequest(queue.id(), listener.id(),
        List.of(missed)))).redelivered());
  }

  private List<String> retainedIds(QueueInfo queue) {
    return EngineHarness.await(engine.engine().listMessages(EngineHarness.ACCOUNT, queue.id(), null, 100)).stream()
        .map(MessageSummary::id).toList();
  }

  private static List<String> bodies(List<StoredMessage> messages) {
    return messages.stream().map(EngineHarness::body).toList();
  }
}
