package io.ferry.messaging.core;

import static io.ferry.messaging.core.EngineHarness.await;
import static io.ferry.messaging.core.EngineHarness.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.TopologySnapshot;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messaging reconciles its topology with a snapshot admin read a moment before; topology commands admin sent in
 * that moment are newer than the snapshot and stand. Before, a listener created while the snapshot was on its way
 * lost its subscription when the snapshot was applied: every message pushed to it afterwards was never delivered,
 * with the listener and its dispatcher worker still there.
 */
class ReconcileDuringChangesTest {

  @RegisterExtension
  final EngineHarness harness = new EngineHarness();

  private Vertx vertx;
  private final AtomicReference<Promise<TopologySnapshot>> asked = new AtomicReference<>();
  private TopologyReconciler reconciler;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    reconciler = new TopologyReconciler(vertx, () -> {
      Promise<TopologySnapshot> answer = Promise.promise();
      asked.set(answer);
      return answer.future();
    }, harness.engine());
  }

  @AfterEach
  void tearDown() {
    reconciler.stop();
    await(vertx.close());
  }

  @Test
  void aListenerCreatedWhileTheSnapshotIsOnItsWayGetsEveryMessagePushedAfterItsCreation() {
    QueueInfo queue = harness.queue(QueueSettings.DEFAULTS);
    Promise<TopologySnapshot> answer = askForSnapshot();
    TopologySnapshot readBeforeTheListener = new TopologySnapshot(List.of(queue), List.of());
    SubscriptionSpec listener = harness.listener(queue.id(), SubscriptionSpec.UNLIMITED_RETRIES, null);

    apply(answer, readBeforeTheListener);
    harness.push(queue.id(), "first", "second", "third");

    assertEquals(List.of("first", "second", "third"), harness.lease(queue.id(), listener.id(), 30_000).stream()
        .map(leased -> EngineHarness.body(leased.message())).toList());
  }

  @Test
  void aQueueCreatedWhileTheSnapshotIsOnItsWayStays() {
    Promise<TopologySnapshot> answer = askForSnapshot();
    QueueInfo queue = harness.queue(QueueSettings.DEFAULTS);
    SubscriptionSpec consumer = harness.pullConsumer(queue.id(), 3, null);

    apply(answer, new TopologySnapshot(List.of(), List.of()));

    harness.push(queue.id(), "kept");
    assertEquals("kept", EngineHarness.body(harness.lease(queue.id(), consumer.id(), 30_000).get(0).message()));
  }

  @Test
  void aListenerDeletedWhileTheSnapshotIsOnItsWayStaysDeleted() {
    QueueInfo queue = harness.queue(QueueSettings.DEFAULTS);
    SubscriptionSpec listener = harness.listener(queue.id(), SubscriptionSpec.UNLIMITED_RETRIES, null);
    Promise<TopologySnapshot> answer = askForSnapshot();
    TopologySnapshot readBeforeTheDeletion = new TopologySnapshot(List.of(queue), List.of(listener));
    await(harness.engine().deleteSubscription(listener.id()));

    apply(answer, readBeforeTheDeletion);

    assertEquals(ErrorCode.NOT_FOUND, failure(harness.engine().lease(
        new LeaseRequest(queue.id(), listener.id(), 10, 30_000, 0))).code());
  }

  @Test
  void withoutCommandsMeanwhileTheSnapshotStillDecides() {
    QueueInfo queue = harness.queue(QueueSettings.DEFAULTS);
    SubscriptionSpec listener = harness.listener(queue.id(), SubscriptionSpec.UNLIMITED_RETRIES, null);

    apply(askForSnapshot(), new TopologySnapshot(List.of(queue), List.of()));

    assertEquals(ErrorCode.NOT_FOUND, failure(harness.engine().lease(
        new LeaseRequest(queue.id(), listener.id(), 10, 30_000, 0))).code(),
        "a subscription admin no longer has is removed");
  }

  /** Starts a reconciliation and waits until it has asked admin, i.e. the shards note commands from now on. */
  private Promise<TopologySnapshot> askForSnapshot() {
    reconciler.start();
    Awaitility.await("the snapshot asked for").atMost(Duration.ofSeconds(10)).until(() -> asked.get() != null);
    return asked.get();
  }

  private void apply(Promise<TopologySnapshot> answer, TopologySnapshot snapshot) {
    answer.complete(snapshot);
    Awaitility.await("the snapshot applied").atMost(Duration.ofSeconds(10)).until(reconciler::reconciled);
    assertTrue(reconciler.reconciled());
  }
}
