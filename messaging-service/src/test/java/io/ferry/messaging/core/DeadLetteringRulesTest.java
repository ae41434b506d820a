package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expired leases are failed deliveries: a message whose lease expires after it was delivered
 * max_retries + 1 times is dead-lettered at the sweep that finds the expiry, never earlier; counted
 * attempts survive a restart.
 */
class DeadLetteringRulesTest {

  @RegisterExtension
  final EngineHarness engine = new EngineHarness();

  @Test
  void expiredLeasesCountAsFailedDeliveriesAndWithoutADeadLetterQueueTheMessageIsDropped() {
    QueueInfo queue = engine.queue(QueueSettings.DEFAULTS);
    SubscriptionSpec listener = engine.listener(queue.id(), 1, null);
    engine.push(queue.id(), "1");

    assertEquals(1, leaseOne(queue, listener, 150).attempts());
    engine.advance(150);
    assertEquals(2, leaseOne(queue, listener, 150).attempts(), "one expiry is one retry");
    engine.advance(149);
    assertEquals(List.of(), engine.events, "the last lease has not expired yet");
    engine.advance(1);

    assertEquals(1, engine.events.size());
    FerryEvent event = engine.events.get(0);
    assertEquals(EventTypes.MESSAGE_DEAD_LETTERED, event.type());
    assertEquals(EngineHarness.START_MS + 300, event.timestampMs(), "emitted at the sweep that found the expiry");
    assertNull(event.payload().getValue("dead_letter_queue_id"));
    assertNull(event.payload().getValue("dead_letter_message_id"));
    assertEquals(2, event.payload().getInteger("attempts"));
    assertEquals(List.of(), engine.lease(queue.id(), listener.id(), 150));
    assertEquals(0, engine.backlog(queue.id()), "dropped: resolved by its only subscription");
    assertEquals(1, engine.history(queue.id()).size(), "kept as history until retention removes it");
  }

  @Test
  void anExpiredLastLeaseIsDeadLetteredIntoTheDeadLetterQueue() {
    QueueInfo source = engine.queue(QueueSettings.DEFAULTS);
    QueueInfo dlq = engine.queue(QueueSettings.DEFAULTS);
    engine.pullConsumer(source.id(), 0, dlq.id());
    StoredMessage original = engine.push(source.id(), "poison").get(0);
    engine.pullOne(source.id(), 1_000);
    engine.advance(1_000);

    List<StoredMessage> deadLettered = engine.history(dlq.id());
    assertEquals(List.of("poison"), deadLettered.stream().map(EngineHarness::body).toList());
    assertEquals(original.id(), engine.events.get(0).payload().getString("message_id"));
    assertEquals(deadLettered.get(0).id(), engine.events.get(0).payload().getString("dead_letter_message_id"));
    assertEquals(List.of(), engine.pull(source.id(), 1_000));
  }

  @Test
  void attemptsAndDeadLettersSurviveARestart() {
    QueueInfo source = engine.queue(QueueSettings.DEFAULTS);
    QueueInfo dlq = engine.queue(QueueSettings.DEFAULTS);
    SubscriptionSpec listener = engine.listener(source.id(), 2, dlq.id());
    engine.push(source.id(), "a", "b");
    List<LeasedMessage> first = engine.lease(source.id(), listener.id(), 30_000);
    assertEquals(2, first.size());
    // "a" fails twice by explicit retry; "b"'s lease is out at the restart.
    engine.settle(source.id(), listener.id(), List.of(), List.of(new RetryRequest(first.get(0).leaseId(), 0)));
    LeasedMessage again = leaseOne(source, listener, 30_000);
    assertEquals(2, again.attempts());
    engine.settle(source.id(), listener.id(), List.of(), List.of(new RetryRequest(again.leaseId(), 0)));

    engine.restart();
    List<LeasedMessage> batch = engine.lease(source.id(), listener.id(), 30_000);
    assertEquals(2, batch.size());
    LeasedMessage a = batch.get(0);
    assertEquals(3, a.attempts(), "two recorded attempts survive the restart");
    // "b"'s first lease was out at the restart: that attempt is lost, so it can only be late, never early.
    assertEquals(1, batch.get(1).attempts());
    engine.settle(source.id(), listener.id(), List.of(), List.of(new RetryRequest(a.leaseId(), 0)));
    assertEquals(1, engine.history(dlq.id()).size());

    engine.restart();
    assertEquals(1, engine.history(dlq.id()).size(), "the dead-lettered copy is durable");
    assertEquals(1, engine.backlog(source.id()), "the dead-lettered one left the backlog");
    assertEquals(List.of(1L, 2L), engine.history(source.id()).stream().map(StoredMessage::sequence).toList(),
        "and stays history");
  }

  @Test
  void aLateAckAfterDeadLetteringIsAWarning() {
    QueueInfo queue = engine.queue(QueueSettings.DEFAULTS);
    engine.pullConsumer(queue.id(), 0, null);
    engine.push(queue.id(), "1");
    LeasedMessage message = engine.pullOne(queue.id(), 1_000);
    engine.advance(1_000);
    var result = engine.ackPulled(queue.id(), List.of(message.leaseId()), List.of());
    assertEquals(0, result.ackCount());
    assertEquals(List.of(message.leaseId()), List.copyOf(result.warnings().keySet()));
  }

  private LeasedMessage leaseOne(QueueInfo queue, SubscriptionSpec subscription, int visibilityMs) {
    List<LeasedMessage> leased = engine.lease(queue.id(), subscription.id(), visibilityMs);
    assertEquals(1, leased.size());
    return leased.get(0);
  }
}
