package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.failure;
import static io.ferry.messaging.TestNode.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.PublishRequest;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.RocksMessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases (a lease handed back unattempted), sub-second retry delays, a listener's unlimited retries, the
 * acknowledged counter across restarts, and publishing over the bus.
 */
class ReleasesCountersAndPublishTest {

  @TempDir
  Path dataDir;

  @Test
  void aReleasedLeaseIsAvailableAtOnceWithItsAttemptUncountedAcrossARestart() {
    QueueInfo queue;
    ListenerDeliveries listener;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      listener = ListenerDeliveries.create(node, queue.id());
      listener.publish("x");
      LeasedMessage first = listener.leaseOne();
      assertEquals(1, first.attempts());
      AckResult released = listener.release(first.leaseId());
      assertEquals(Map.of(), released.warnings());
      LeasedMessage again = listener.leaseOne();
      assertEquals(1, again.attempts(), "released: the same attempt again, at once");
      listener.release(again.leaseId());

      // An expired lease's attempt was recorded by the sweep; releasing it still takes it back.
      LeasedMessage expiring = listener.lease(100).get(0);
      assertEquals(1, expiring.attempts());
      sleep(300);
      assertEquals(Map.of(), listener.release(expiring.leaseId()).warnings());
      LeasedMessage afterExpiry = listener.leaseOne();
      assertEquals(1, afterExpiry.attempts());

      assertEquals(1, listener.retry(new RetryRequest(afterExpiry.leaseId(), null, 0L)).retryCount());
      LeasedMessage second = listener.leaseOne();
      assertEquals(2, second.attempts());
      listener.release(second.leaseId());
      assertEquals(1, listener.release(second.leaseId()).warnings().size(), "a released lease is over");
    }
    try (TestNode node = TestNode.start(dataDir)) {
      listener = ListenerDeliveries.of(node, listener.subscription);
      assertEquals(2, listener.leaseOne().attempts(), "one counted retry, one uncounted release");
    }
  }

  @Test
  void retriesHonourAMillisecondDelayAndOtherwiseTheSubscriptionsDelay() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      ListenerDeliveries listener = ListenerDeliveries.create(node, queue.id());
      listener.publish("x");
      long retried = System.currentTimeMillis();
      listener.retry(new RetryRequest(listener.leaseOne().leaseId(), 30, 400L));
      assertEquals(List.of(), listener.lease(30_000), "delayMs wins over delaySeconds");
      List<LeasedMessage> leased = new CopyOnWriteArrayList<>();
      TestNode.eventually(() -> leased.addAll(listener.lease(30_000)), 3_000);
      long waited = System.currentTimeMillis() - retried;
      assertTrue(waited >= 350 && waited < 3_000, "available after " + waited + " ms");

      // Without a delay the subscription's retry delay (5 s here) applies.
      listener.retry(new RetryRequest(leased.get(0).leaseId(), null, null));
      sleep(600);
      assertEquals(List.of(), listener.lease(30_000));
    }
  }

  @Test
  void aListenerWithUnlimitedRetriesGetsExpiredLeasesBackAndItsAttemptsNeverOverflow() throws Exception {
    QueueInfo queue;
    ListenerDeliveries listener;
    long sequence;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      listener = ListenerDeliveries.create(node, queue.id());
      listener.publish("x");
      for (int attempt = 1; attempt <= 4; attempt++) {
        List<LeasedMessage> leased = listener.lease(50);
        assertEquals(1, leased.size(), "attempt " + attempt);
        assertEquals(attempt, leased.get(0).attempts());
        sleep(200);
      }
      sequence = node.history(queue.id()).messages().get(0).sequence();
    }
    // A delivery that has used up every count an int holds.
    RocksMessageStore store = RocksMessageStore.open(dataDir.resolve("messaging"));
    await(store.commit(new StoreBatch().putPending(listener.subscription.id(), sequence, Integer.MAX_VALUE, 0)));
    await(store.close());
    try (TestNode node = TestNode.start(dataDir)) {
      listener = ListenerDeliveries.of(node, listener.subscription);
      LeasedMessage leased = listener.leaseOne();
      assertEquals(Integer.MAX_VALUE, leased.attempts(), "saturates instead of wrapping");
      assertEquals(1, listener.retry(new RetryRequest(leased.leaseId(), null, 0L)).retryCount());
      assertEquals(Integer.MAX_VALUE, listener.leaseOne().attempts(), "still not exhausted");
      assertEquals(1, node.history(queue.id()).messages().size());
    }
  }

  @Test
  void theAcknowledgedCountIsExactAcrossRestartsAndCountsOnlyAcks() {
    QueueInfo queue;
    SubscriptionSpec consumer;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      consumer = node.subscribe(new SubscriptionSpec(Ids.newId(), queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER,
          10, 0, 0, 30_000, null));
      ListenerDeliveries deliveries = ListenerDeliveries.of(node, consumer);
      deliveries.publish(1, 2, 3, 4, 5);
      List<LeasedMessage> leased = deliveries.lease(30_000);
      assertEquals(5, leased.size());
      assertEquals(2, deliveries.ack(leased.get(0).leaseId(), leased.get(1).leaseId()).ackCount());
      assertEquals(1, deliveries.ack(leased.get(2).leaseId(), leased.get(2).leaseId(), Ids.newId()).ackCount(),
          "duplicates and unknown leases are not counted");
      // max_retries 0: this retry dead-letters (drops) the message, which is not an acknowledgement.
      deliveries.retry(new RetryRequest(leased.get(3).leaseId(), 0));
      assertEquals(3, deliveries.stats().acknowledgedCount());
    }
    try (TestNode node = TestNode.start(dataDir)) {
      ListenerDeliveries deliveries = ListenerDeliveries.of(node, consumer);
      assertEquals(3, deliveries.stats().acknowledgedCount());
      List<LeasedMessage> leased = deliveries.lease(30_000);
      assertEquals(1, leased.size(), "the unacked lease came back; the dead-lettered message did not");
      deliveries.ack(leased.get(0).leaseId());
      assertEquals(4, deliveries.stats().acknowledgedCount());
    }
    try (TestNode node = TestNode.start(dataDir)) {
      assertEquals(4, ListenerDeliveries.of(node, consumer).stats().acknowledgedCount());
    }
  }

  @Test
  void publishingOverTheBusAppendsJsonMessagesDurablyAndLive() {
    QueueInfo queue;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      ListenerDeliveries consumer = ListenerDeliveries.of(node,
          node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER));
      List<PublishedBatch> live = new CopyOnWriteArrayList<>();
      await(node.vertx.eventBus().<PublishedBatch>consumer(Addresses.published(queue.id()),
          message -> live.add(message.body())).completion());

      consumer.publish(new JsonObject().put("type", "queue.created"), "text", 5, true);
      List<LeasedMessage> leased = consumer.lease(30_000);
      assertEquals(List.of("{\"type\":\"queue.created\"}", "\"text\"", "5", "true"), leased.stream()
          .map(m -> new String(m.message().body(), StandardCharsets.UTF_8)).toList());
      for (LeasedMessage message : leased) {
        assertEquals(ContentType.JSON, message.message().contentType());
        assertNull(message.message().key());
      }
      assertEquals(List.of(1L, 2L, 3L, 4L), leased.stream().map(m -> m.message().sequence()).toList());
      TestNode.eventually(() -> live.size() == 1 && live.get(0).messages().size() == 4, 2_000);

      await(Bus.request(node.vertx, Addresses.MESSAGING_PUBLISH, new PublishRequest(queue.id(), List.of())));
      assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(Bus.request(node.vertx, Addresses.MESSAGING_PUBLISH,
          new PublishRequest(Ids.newId(), List.of("x")))).code());
      assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(Bus.request(node.vertx, Addresses.MESSAGING_PUBLISH,
          new PublishRequest(null, List.of("x")))).code());
    }
    try (TestNode node = TestNode.start(dataDir)) {
      List<StoredMessage> stored = node.history(queue.id()).messages();
      assertEquals(4, stored.size(), "durable");
      assertEquals(Arrays.asList("\"text\"", "5"), stored.subList(1, 3).stream()
          .map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList());
    }
  }
}
