package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.KeyRef;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Missed deliveries (a webhook never accepted them): listed, kept, never leased by themselves, durable, and
 * redeliverable on request; removals of every kind clear them (retention: {@code core.RetentionRulesTest}).
 */
class MissedDeliveriesTest {

  @TempDir
  Path dataDir;

  @Test
  void redeliveryCanBeNarrowedToWhatWasMissedSinceATimeAcrossARestart() {
    QueueInfo queue;
    ListenerDeliveries listener;
    List<String> early;
    List<String> late;
    long between;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      listener = ListenerDeliveries.create(node, queue.id());
      listener.publish("early-1", "early-2");
      early = listener.missAll();
      // Misses are timed to the millisecond: the next ones must be strictly later.
      long missedEarly = System.currentTimeMillis();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > missedEarly);
      between = System.currentTimeMillis();
      listener.publish("late");
      late = listener.missAll();
    }
    try (TestNode node = TestNode.start(dataDir)) {
      listener = ListenerDeliveries.of(node, listener.subscription);
      assertEquals(0, listener.redeliverMissedSince(System.currentTimeMillis() + 60_000), "nothing missed since");
      assertEquals(0, listener.redeliverMissedSince(between, early.get(0)), "an id missed before is not included");
      assertEquals(1, listener.redeliverMissedSince(between), "the miss times survived the restart");
      assertEquals(late, listener.lease(30_000).stream().map(m -> m.message().id()).toList());
      assertEquals(new SubscriptionStats(0, 2, early), listener.stats());
      assertEquals(2, listener.redeliverMissedSince(0));
    }
  }

  @Test
  void aMissedMessageIsListedKeptAndNotLeasedAgainAcrossARestartUntilRedelivered() {
    QueueInfo queue;
    ListenerDeliveries listener;
    List<String> ids;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      listener = ListenerDeliveries.create(node, queue.id());
      listener.publish("a", "b", "c");
      List<LeasedMessage> leased = listener.lease(30_000);
      ids = leased.stream().map(m -> m.message().id()).toList();
      AckResult result = listener.settle(List.of(leased.get(1).leaseId()), List.of(),
          List.of(leased.get(0).leaseId(), leased.get(2).leaseId()), List.of());
      assertEquals(1, result.ackCount());
      assertEquals(Map.of(), result.warnings());

      assertEquals(new SubscriptionStats(1, 2, List.of(ids.get(0), ids.get(2))), listener.stats());
      assertEquals(List.of(), listener.lease(30_000), "missed messages are not available");
      assertEquals(List.of(ids.get(0), ids.get(2)), retainedIds(node, queue),
          "missed messages are kept; the acked one is removed");
    }
    try (TestNode node = TestNode.start(dataDir)) {
      listener = ListenerDeliveries.of(node, listener.subscription);
      assertEquals(new SubscriptionStats(1, 2, List.of(ids.get(0), ids.get(2))), listener.stats());
      assertEquals(List.of(), listener.lease(30_000), "still missed after a restart");

      assertEquals(2, listener.redeliver());
      assertEquals(new SubscriptionStats(1, 0, List.of()), listener.stats());
      List<LeasedMessage> again = listener.lease(30_000);
      assertEquals(List.of(ids.get(0), ids.get(2)), again.stream().map(m -> m.message().id()).toList());
      assertEquals(List.of(1, 1), again.stream().map(LeasedMessage::attempts).toList(), "attempts start over");
    }
    try (TestNode node = TestNode.start(dataDir)) {
      listener = ListenerDeliveries.of(node, listener.subscription);
      assertEquals(2, listener.lease(30_000).size(), "the redelivery is durable");
      assertEquals(0, listener.stats().missedCount());
    }
  }

  @Test
  void redeliveringChosenIdsIgnoresOthersAndWakesAWaitingLease() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      ListenerDeliveries listener = ListenerDeliveries.create(node, queue.id());
      listener.publish(1, 2, 3);
      List<String> ids = listener.missAll();
      Future<LeaseBatch> waiting = listener.leaseAsync(30_000, 10_000);
      assertEquals(3, listener.stats().missedCount(), "answered after the lease was taken");
      assertFalse(waiting.isComplete(), "nothing is available while every message is missed");

      // Names ids.get(0)'s queue and sequence, but is not its id.
      String impostor = (ids.get(0).startsWith("00000000") ? "11111111" : "00000000") + ids.get(0).substring(8);
      String notOfThisQueue = Ids.newId();
      assertEquals(1, listener.redeliver(ids.get(1), ids.get(1), impostor, notOfThisQueue, "not-an-id"));
      LeaseBatch woken = await(waiting);
      assertEquals(1, woken.messages().size());
      assertEquals(ids.get(1), woken.messages().get(0).message().id());
      assertEquals(1, woken.messages().get(0).attempts());

      assertEquals(0, listener.redeliver(ids.get(1)), "no longer missed");
      assertEquals(new SubscriptionStats(0, 2, List.of(ids.get(0), ids.get(2))), listener.stats());
      // Missed again after its redelivery: attempts restarted, so the next lease counts 1 again.
      listener.miss(woken.messages().get(0).leaseId());
      assertEquals(3, listener.stats().missedCount());
      assertEquals(3, listener.redeliver());
      assertEquals(List.of(1, 1, 1), listener.lease(30_000).stream().map(LeasedMessage::attempts).toList());
    }
  }

  @Test
  void deleteByKeyPurgeAndSubscriptionDeletionClearMissedState() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      ListenerDeliveries listener = ListenerDeliveries.create(node, queue.id());
      listener.publish("acked");
      listener.ack(listener.leaseOne().leaseId());
      listener.publish(1, 2, 3);
      List<String> ids = listener.missAll();

      // Bus-published messages have no key: their frame id is their id.
      await(Bus.request(node.vertx, Addresses.MESSAGING_DELETE_BY_KEY, new KeyRef(queue.id(), ids.get(0))));
      assertEquals(new SubscriptionStats(1, 2, List.of(ids.get(1), ids.get(2))), listener.stats());

      PurgeStatus purge = await(Bus.request(node.vertx, Addresses.MESSAGING_QUEUE_PURGE,
          new ResourceRef(null, queue.id())));
      assertTrue(purge.startedAtMs() > 0);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> listener.stats().missedCount() == 0);
      assertEquals(new SubscriptionStats(1, 0, List.of()), listener.stats(), "acks since creation are kept");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> retainedIds(node, queue).isEmpty());

      listener.publish(4);
      listener.missAll();
      await(Bus.request(node.vertx, Addresses.MESSAGING_SUBSCRIPTION_DELETE,
          new ResourceRef(null, listener.subscription.id())));
      assertEquals(ErrorCode.NOT_FOUND, failure(Bus.request(node.vertx, Addresses.MESSAGING_SUBSCRIPTION_STATS,
          new SubscriptionRef(queue.id(), listener.subscription.id()))).code());
      node.subscribe(listener.subscription);
      assertEquals(new SubscriptionStats(0, 0, List.of()), listener.stats(), "a recreated subscription starts over");
    }
  }

  @Test
  void unknownSubscriptionsAreNotFoundAndUnusableLeasesAreWarnings() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      QueueInfo other = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      ListenerDeliveries listener = ListenerDeliveries.create(node, queue.id());
      for (SubscriptionRef ref : List.of(new SubscriptionRef(queue.id(), Ids.newId()),
          new SubscriptionRef(other.id(), listener.subscription.id()),
          new SubscriptionRef(Ids.newId(), listener.subscription.id()), new SubscriptionRef(queue.id(), null))) {
        assertEquals(ErrorCode.NOT_FOUND,
            failure(Bus.request(node.vertx, Addresses.MESSAGING_SUBSCRIPTION_STATS, ref)).code(), ref.toString());
        assertEquals(ErrorCode.NOT_FOUND, failure(Bus.request(node.vertx, Addresses.MESSAGING_REDELIVER,
            new RedeliverRequest(ref.queueId(), ref.subscriptionId(), List.of()))).code(), ref.toString());
      }

      listener.publish("x");
      LeasedMessage leased = listener.leaseOne();
      AckResult result = listener.settle(List.of(), List.of(), List.of(leased.leaseId(), Ids.newId()),
          List.of(leased.leaseId(), "nonsense"));
      assertEquals(3, result.warnings().size(), "a lease settles once; unknown ones are warnings");
      assertEquals(1, listener.stats().missedCount());
      assertEquals(1, listener.miss(leased.leaseId()).warnings().size(), "a missed lease cannot act again");
      assertEquals(1, listener.release(leased.leaseId()).warnings().size());
      assertEquals(1, listener.ack(leased.leaseId()).warnings().size());
      assertEquals(new SubscriptionStats(0, 1, List.of(leased.message().id())), listener.stats());
    }
  }

  // The queue's backlog as listed: settled (acked by every subscription) messages stay only as history.
  private static List<String> retainedIds(TestNode node, QueueInfo queue) {
    return TestNode.json(node.get("/v1/queues/" + queue.id() + "/messages", TestNode.KEY_A))
        .getJsonArray("messages").stream().map(m -> ((io.vertx.core.json.JsonObject) m).getString("id")).toList();
  }
}
