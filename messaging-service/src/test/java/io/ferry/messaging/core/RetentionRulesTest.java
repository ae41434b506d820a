package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import java.util.List;
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

  private static List<String> bodies(List<StoredMessage> messages) {
    return messages.stream().map(EngineHarness::body).toList();
  }
}
