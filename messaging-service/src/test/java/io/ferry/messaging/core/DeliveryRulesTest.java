package io.ferry.messaging.core;

import static io.ferry.messaging.core.EngineHarness.ACCOUNT;
import static io.ferry.messaging.core.EngineHarness.await;
import static io.ferry.messaging.core.EngineHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leases, visibility timeouts, retries, delays and long polling, on the engine with a clock the test sets. */
class DeliveryRulesTest {

  @RegisterExtension
  final EngineHarness engine = new EngineHarness();

  QueueInfo queue;

  @BeforeEach
  void createQueue() {
    queue = engine.queue(QueueSettings.DEFAULTS);
    engine.pullConsumer(queue.id(), 3, null);
  }

  @Test
  void anAckedMessageIsNeverDeliveredAgain() {
    engine.push(queue.id(), "once");
    LeasedMessage message = engine.pullOne(queue.id(), 1_000);
    assertEquals(1, engine.ackPulled(queue.id(), List.of(message.leaseId()), List.of()).ackCount());
    engine.advance(1_000);
    assertEquals(List.of(), engine.pull(queue.id(), 1_000));
  }

  @Test
  void aLeaseExpiresExactlyAtItsVisibilityTimeoutAndTheRedeliveryCountsOneMoreAttempt() {
    engine.push(queue.id(), "again");
    LeasedMessage first = engine.pullOne(queue.id(), 1_000);
    assertEquals(1, first.attempts());
    engine.advance(999);
    assertEquals(List.of(), engine.pull(queue.id(), 1_000), "leased messages are hidden until the lease ends");
    engine.advance(1);
    LeasedMessage second = engine.pullOne(queue.id(), 1_000);
    assertEquals(first.message().id(), second.message().id());
    assertEquals(2, second.attempts());
    // The first lease was superseded by the redelivery: acking it is a warning; the new one works.
    AckResult stale = engine.ackPulled(queue.id(), List.of(first.leaseId()), List.of());
    assertEquals(0, stale.ackCount());
    assertEquals(List.of(first.leaseId()), List.copyOf(stale.warnings().keySet()));
    assertEquals(1, engine.ackPulled(queue.id(), List.of(second.leaseId()), List.of()).ackCount());
  }

  @Test
  void aLateAckOfAnExpiredButNotRedeliveredLeaseSucceeds() {
    engine.push(queue.id(), "late");
    LeasedMessage message = engine.pullOne(queue.id(), 1_000);
    engine.advance(1_000);
    AckResult result = engine.ackPulled(queue.id(), List.of(message.leaseId()), List.of());
    assertEquals(1, result.ackCount());
    assertEquals(Map.of(), result.warnings());
    assertEquals(List.of(), engine.pull(queue.id(), 1_000));
  }

  @Test
  void aRetryWithDelayMakesTheMessageAvailableExactlyAfterTheDelay() {
    engine.push(queue.id(), "retry me");
    LeasedMessage message = engine.pullOne(queue.id(), 30_000);
    AckResult result = engine.ackPulled(queue.id(), List.of(), List.of(new RetryRequest(message.leaseId(), 1)));
    assertEquals(1, result.retryCount());
    engine.advance(999);
    assertEquals(List.of(), engine.pull(queue.id(), 30_000));
    engine.advance(1);
    LeasedMessage again = engine.pullOne(queue.id(), 30_000);
    assertEquals(message.message().id(), again.message().id());
    assertEquals(2, again.attempts());
  }

  @Test
  void aDelayedMessageIsInvisibleUntilDueAndMessageDelayBeatsBatchDelay() {
    engine.push(queue.id(), null, text("later", 1));
    engine.push(queue.id(), 1, text("now", 0), text("batch-delayed", null));
    assertEquals(List.of("now"), bodies(engine.pull(queue.id(), 30_000)));
    engine.advance(999);
    assertEquals(List.of(), engine.pull(queue.id(), 30_000));
    engine.advance(1);
    assertEquals(List.of("later", "batch-delayed"), bodies(engine.pull(queue.id(), 30_000)));
  }

  @Test
  void theQueueDeliveryDelayAppliesWhenTheMessageHasNone() {
    engine.upsert(withSettings(new QueueSettings(1, false, 345_600)));
    engine.push(queue.id(), "queue-delayed");
    engine.advance(999);
    assertEquals(List.of(), engine.pull(queue.id(), 30_000));
    engine.advance(1);
    assertEquals(List.of("queue-delayed"), bodies(engine.pull(queue.id(), 30_000)));
  }

  @Test
  void aBatchDelayBeatsTheQueueDelay() {
    engine.upsert(withSettings(new QueueSettings(60, false, 345_600)));
    engine.push(queue.id(), 0, text("now", null));
    assertEquals(List.of("now"), bodies(engine.pull(queue.id(), 30_000)));
  }

  @Test
  void pausingStopsPullsLeasesAndParkedPollsButNotPushes() {
    SubscriptionSpec listener = engine.listener(queue.id(), SubscriptionSpec.UNLIMITED_RETRIES, null);
    Future<LeaseBatch> parked = engine.longPoll(queue.id(), 1_500);
    engine.upsert(withSettings(new QueueSettings(0, true, 345_600)));
    engine.push(queue.id(), "while paused");
    assertEquals(1, engine.backlog(queue.id()), "the push is taken");
    assertFalse(parked.isComplete(), "a poll parked before the pause gets nothing pushed during it");
    engine.clock.advance(1_500);
    assertEquals(List.of(), await(parked).messages(), "and ends empty when its wait ends");
    assertEquals(ErrorCode.DELIVERY_PAUSED, EngineHarness.failure(engine.engine().pull(ACCOUNT, queue.id(), null,
        null, 10_000)).code());
    assertEquals(ErrorCode.DELIVERY_PAUSED, EngineHarness.failure(engine.engine().lease(
        new LeaseRequest(queue.id(), listener.id(), 10, 30_000, 0))).code());

    engine.upsert(queue);
    assertEquals(List.of("while paused"), bodies(engine.pull(queue.id(), 30_000)));
    assertEquals(List.of("while paused"), bodies(engine.lease(queue.id(), listener.id(), 30_000)));
  }

  @Test
  void aLongPollReturnsAsSoonAsAMessageArrives() {
    Future<LeaseBatch> waiting = engine.longPoll(queue.id(), 10_000);
    assertFalse(waiting.isComplete(), "the pull waits while nothing is ready");
    engine.push(queue.id(), "wake up");
    assertEquals(List.of("wake up"), bodies(await(waiting).messages()));
  }

  @Test
  void aLongPollEndsEmptyExactlyWhenItsWaitEnds() {
    Future<LeaseBatch> waiting = engine.longPoll(queue.id(), 400);
    engine.clock.advance(399);
    assertEquals(0, engine.backlog(queue.id()), "timers due by now have run");
    assertFalse(waiting.isComplete(), "still waiting 1 ms before its end");
    engine.clock.advance(1);
    assertEquals(List.of(), await(waiting).messages());
  }

  @Test
  void aDelayedMessageWakesAParkedPollWhenTheSweepFindsItDue() {
    engine.push(queue.id(), null, text("due", 2));
    Future<LeaseBatch> waiting = engine.longPoll(queue.id(), 10_000);
    engine.advance(1_999);
    assertFalse(waiting.isComplete());
    engine.advance(1);
    assertEquals(List.of("due"), bodies(await(waiting).messages()));
  }

  @Test
  void aNewPullConsumerGetsTheBacklogAndANewListenerOnlyWhatFollows() {
    QueueInfo history = engine.queue(QueueSettings.DEFAULTS);
    engine.push(history.id(), "old-1", "old-2");
    engine.pullConsumer(history.id(), 3, null);
    SubscriptionSpec listener = engine.listener(history.id(), SubscriptionSpec.UNLIMITED_RETRIES, null);
    assertEquals(List.of("old-1", "old-2"), bodies(engine.pull(history.id(), 30_000)));
    assertEquals(List.of(), engine.lease(history.id(), listener.id(), 30_000));

    engine.push(history.id(), "new");
    List<LeasedMessage> leased = engine.lease(history.id(), listener.id(), 30_000);
    assertEquals(List.of(3L), leased.stream().map(m -> m.message().sequence()).toList());
    assertEquals(1, engine.settle(history.id(), listener.id(), List.of(leased.get(0).leaseId()), List.of())
        .ackCount());
  }

  @Test
  void liveSubscribersSeeEveryMessageAtPublishDelayedOrNot() {
    engine.push(queue.id(), "a");
    engine.push(queue.id(), null, text("b", 60));
    assertEquals(List.of(List.of(1L), List.of(2L)), engine.published.stream()
        .map(batch -> batch.messages().stream().map(StoredMessage::sequence).toList()).toList());
  }

  private QueueInfo withSettings(QueueSettings settings) {
    return new QueueInfo(queue.id(), ACCOUNT, queue.name(), 1, 2, settings);
  }

  static List<String> bodies(List<LeasedMessage> messages) {
    return messages.stream().map(m -> EngineHarness.body(m.message())).toList();
  }
}
