package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.dispatcher.config.DispatcherConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two dispatcher instances on one bus: one checks a listener's liveness, the other follows its reports (and
 * pauses delivery with it), and when one instance stops the checks go on from where they were. A listener
 * checked by both would show each failure count twice in admin's reports, and two listener.inactive events.
 */
class SharedLivenessTest extends DispatcherTestBase {

  private static final long INTERVAL_MS = 150;
  /**
   * Longer than the other tests' 50 ms: a peer silent for 3 heartbeats counts as gone, and a busy test machine
   * can stall an event loop for a few hundred milliseconds (the first HTTP exchange loads many classes).
   */
  private static final long HEARTBEAT_MS = 500;
  private final AtomicBoolean up = new AtomicBoolean();
  private DispatcherModule second;

  @BeforeEach
  void twoInstances() {
    module = DispatcherModule.create(config(), NO_JITTER);
    second = DispatcherModule.create(config(), NO_JITTER);
    receiver.respond("/live", r -> r.response().setStatusCode(up.get() ? 200 : 503).end());
  }

  @AfterEach
  void stopSecond() throws Exception {
    await(second.stop().otherwiseEmpty());
  }

  @Test
  void oneInstanceChecksBothPauseAndTheOtherGoesOnWhenTheCheckerStops() throws Exception {
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook"), receiver.url("/live")));
    await(module.start(vertx));
    await(second.start(vertx));

    waitUntil("the listener is inactive").until(() -> events(EventTypes.LISTENER_INACTIVE).size() == 1);
    waitUntil("six checks are reported").until(() -> failureCounts(listener).size() >= 6);
    assertOneCheckerCounting(listener);

    for (int i = 0; i < 4; i++) {
      messaging.offerJson("q1", listener.id(), "{}", 1);
    }
    int seen = failureCounts(listener).size();
    waitUntil("three more checks").until(() -> failureCounts(listener).size() >= seen + 3);
    assertTrue(receiver.received.isEmpty(), "an instance delivered while inactive: " + receiver.received.size());
    assertTrue(messaging.retried().isEmpty(), "attempts burnt while inactive");

    DispatcherModule checker = module.checksLiveness(listener.id()) ? module : second;
    DispatcherModule follower = checker == module ? second : module;
    assertTrue(checker.checksLiveness(listener.id()) && !follower.checksLiveness(listener.id()));
    await(checker.stop());
    waitUntil("the follower checks").until(() -> follower.checksLiveness(listener.id()));
    int beforeStop = failureCounts(listener).size();
    waitUntil("the checks go on").until(() -> failureCounts(listener).size() >= beforeStop + 4);
    assertOneCheckerCounting(listener);
    assertEquals(1, events(EventTypes.LISTENER_INACTIVE).size(), "a handover is no change of state");

    up.set(true);
    waitUntil("the backlog is delivered").until(() -> messaging.acked() == 4);
    assertEquals(1, events(EventTypes.LISTENER_STABLE).size());
  }

  private static DispatcherConfig config() {
    DispatcherConfig base = config(MAX_ATTEMPTS, 5_000, 300_000, INTERVAL_MS, 2, LOOPBACK);
    return new DispatcherConfig(base.node(), base.requestTimeoutMs(), base.maxInFlightPerListener(),
        base.deliveryLanes(), base.leaseWaitMs(), base.maxAttempts(), base.retryInitialMs(), base.retryMaxMs(), base.livenessIntervalMs(),
        base.livenessTimeoutMs(), base.livenessFailureThreshold(), base.responseBodyCapBytes(),
        base.reconcileIntervalMs(), HEARTBEAT_MS, base.webhooks());
  }

  /** 1, 2, 3, ... : each check counted once, by one instance; a second checker would repeat counts. */
  private void assertOneCheckerCounting(ListenerInfo listener) {
    List<Integer> counts = failureCounts(listener);
    for (int i = 0; i < counts.size(); i++) {
      assertEquals(i + 1, counts.get(i), "failure counts reported: " + counts);
    }
    assertTrue(receiver.checks.size() >= counts.size(), "checks received: " + receiver.checks.size());
  }

  private List<Integer> failureCounts(ListenerInfo listener) {
    return admin.livenessReports.stream().filter(r -> r.listenerId().equals(listener.id()))
        .map(ListenerLiveness::failureCount).toList();
  }
}
