package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.StoreBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A webhook listener's subscription as the dispatcher drives it: releases, millisecond retries, expiries. */
class ReleasesAndRetriesRulesTest {

  @RegisterExtension
  final EngineHarness engine = new EngineHarness();

  QueueInfo queue;
  SubscriptionSpec listener;

  @BeforeEach
  void createListener() {
    queue = engine.queue(QueueSettings.DEFAULTS);
    // As admin creates a listener's subscription: retries unlimited, 5 s retry delay.
    listener = engine.subscribe(new SubscriptionSpec(Ids.newId(), queue.id(), SubscriptionSpec.Kind.LISTENER, 10,
        SubscriptionSpec.UNLIMITED_RETRIES, 5, 30_000, null));
    engine.push(queue.id(), "x");
  }

  @Test
  void aReleasedLeaseIsAvailableAtOnceWithItsAttemptUncountedAcrossARestart() {
    LeasedMessage first = leaseOne(30_000);
    assertEquals(1, first.attempts());
    assertEquals(Map.of(), release(first).warnings());
    LeasedMessage again = leaseOne(30_000);
    assertEquals(1, again.attempts(), "released: the same attempt again, at once");
    release(again);

    // An expired lease's attempt was recorded by the sweep; releasing it still takes it back.
    LeasedMessage expiring = leaseOne(100);
    assertEquals(1, expiring.attempts());
    engine.advance(100);
    assertEquals(Map.of(), release(expiring).warnings());
    LeasedMessage afterExpiry = leaseOne(30_000);
    assertEquals(1, afterExpiry.attempts());

    assertEquals(1, retry(new RetryRequest(afterExpiry.leaseId(), null, 0L)).retryCount());
    LeasedMessage second = leaseOne(30_000);
    assertEquals(2, second.attempts());
    release(second);
    assertEquals(1, release(second).warnings().size(), "a released lease is over");

    engine.restart();
    assertEquals(2, leaseOne(30_000).attempts(), "one counted retry, one uncounted release");
  }

  @Test
  void retriesHonourAMillisecondDelayAndOtherwiseTheSubscriptionsDelay() {
    retry(new RetryRequest(leaseOne(30_000).leaseId(), 30, 400L));
    engine.advance(399);
    assertEquals(List.of(), lease(30_000), "delayMs wins over delaySeconds");
    engine.advance(1);
    LeasedMessage again = leaseOne(30_000);

    retry(new RetryRequest(again.leaseId(), null, null));
    engine.advance(4_999);
    assertEquals(List.of(), lease(30_000), "without a delay the subscription's 5 s apply");
    engine.advance(1);
    assertEquals(3, leaseOne(30_000).attempts());
  }

  @Test
  void aListenerWithUnlimitedRetriesGetsExpiredLeasesBackAndItsAttemptsNeverOverflow() {
    for (int attempt = 1; attempt <= 4; attempt++) {
      assertEquals(attempt, leaseOne(50).attempts());
      engine.advance(50);
    }
    long sequence = engine.history(queue.id()).get(0).sequence();

    // A delivery that has used up every count an int holds.
    engine.restart(new StoreBatch().putPending(listener.id(), sequence, Integer.MAX_VALUE, 0));
    LeasedMessage leased = leaseOne(30_000);
    assertEquals(Integer.MAX_VALUE, leased.attempts(), "saturates instead of wrapping");
    assertEquals(1, retry(new RetryRequest(leased.leaseId(), null, 0L)).retryCount());
    assertEquals(Integer.MAX_VALUE, leaseOne(30_000).attempts(), "still not exhausted");
    assertEquals(1, engine.history(queue.id()).size());
  }

  private List<LeasedMessage> lease(int visibilityTimeoutMs) {
    return engine.lease(queue.id(), listener.id(), visibilityTimeoutMs);
  }

  private LeasedMessage leaseOne(int visibilityTimeoutMs) {
    List<LeasedMessage> leased = lease(visibilityTimeoutMs);
    assertEquals(1, leased.size(), "leased " + leased);
    return leased.get(0);
  }

  private AckResult release(LeasedMessage message) {
    return engine.release(queue.id(), listener.id(), message.leaseId());
  }

  private AckResult retry(RetryRequest retry) {
    return engine.settle(queue.id(), listener.id(), List.of(), List.of(retry));
  }
}
