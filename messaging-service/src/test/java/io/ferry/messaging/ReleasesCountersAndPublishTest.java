package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
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
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acknowledged counter across restarts, and publishing over the bus. Releases, sub-second retry delays
 * and a listener's unlimited retries are covered on the engine ({@code core.ReleasesAndRetriesRulesTest}).
 */
class ReleasesCountersAndPublishTest {

  @TempDir
  Path dataDir;

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
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> live.size() == 1);
      assertEquals(List.of(1L, 2L, 3L, 4L), live.get(0).messages().stream().map(StoredMessage::sequence).toList());

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
