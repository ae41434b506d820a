package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static io.ferry.messaging.TestNode.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * max_retries with Cloudflare's meaning: a message is dead-lettered when a delivery fails after it was
 * delivered max_retries + 1 times, never earlier; by explicit retry or by lease expiry; durably.
 */
class DeadLetteringTest {

  @TempDir
  Path dataDir;

  @Test
  void aMessageIsDeadLetteredExactlyWhenItsLastAllowedRetryFails() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo source = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      QueueInfo dlq = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      SubscriptionSpec dlqConsumer = node.subscribe(dlq.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
      node.subscribe(pullConsumer(source.id(), 2, dlq.id()));
      List<FerryEvent> events = node.captureEvents();
      String path = queuePath(ACCOUNT_A, source.id());
      node.post(path + "/messages", KEY_A, new JsonObject().put("body", "poison").put("content_type", "text"));

      String messageId = null;
      long originalTimestamp = 0;
      for (int attempt = 1; attempt <= 3; attempt++) {
        JsonObject message = pullOne(node, path);
        assertEquals(attempt, message.getInteger("attempts"));
        messageId = message.getString("id");
        originalTimestamp = message.getLong("timestamp_ms");
        JsonObject result = retry(node, path, message.getString("lease_id"));
        assertEquals(1, result.getInteger("retryCount"));
        if (attempt < 3) {
          assertEquals(0, node.history(dlq.id()).messages().size(), "not dead-lettered after " + attempt);
          assertTrue(events.isEmpty());
        }
      }
      // Delivered max_retries + 1 = 3 times and failed: gone from the source, in the dead-letter queue.
      assertEquals(0, pull(node, path).size());
      assertEquals(0, json(node.get(path + "/metrics", KEY_A)).getJsonObject("result").getInteger("backlog_count"));
      List<StoredMessage> deadLettered = node.history(dlq.id()).messages();
      assertEquals(1, deadLettered.size());
      StoredMessage copy = deadLettered.get(0);
      assertEquals("poison", new String(copy.body(), StandardCharsets.UTF_8));
      assertEquals(ContentType.TEXT, copy.contentType());
      assertNotEquals(messageId, copy.id());
      assertEquals(1, copy.sequence());
      assertEquals(1, node.lease(dlq.id(), dlqConsumer.id(), 10, 30_000).messages().size(),
          "the dead-letter queue's consumers receive it like any message");

      TestNode.eventually(() -> events.size() == 1, 2_000);
      FerryEvent event = events.get(0);
      assertEquals(EventTypes.MESSAGE_DEAD_LETTERED, event.type());
      assertEquals(ACCOUNT_A, event.accountId());
      assertEquals(messageId, event.resourceId());
      assertEquals(source.id(), event.payload().getString("queue_id"));
      assertEquals(messageId, event.payload().getString("message_id"));
      assertEquals(3, event.payload().getInteger("attempts"));
      assertEquals(dlq.id(), event.payload().getString("dead_letter_queue_id"));
      assertTrue(event.payload().containsKey("subscription_id"));
      // The copy has its own id and time in the dead-letter queue; the event links it to the original.
      assertEquals(copy.id(), event.payload().getString("dead_letter_message_id"));
      assertEquals(originalTimestamp, event.payload().getLong("timestamp_ms"));
    }
  }

  @Test
  void expiredLeasesCountAsFailedDeliveriesAndWithoutADeadLetterQueueTheMessageIsDropped() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      SubscriptionSpec listener = node.subscribe(new SubscriptionSpec(Ids.newId(), queue.id(),
          SubscriptionSpec.Kind.LISTENER, 10, 1, 0, 30_000, null));
      List<FerryEvent> events = node.captureEvents();
      node.post(queuePath(ACCOUNT_A, queue.id()) + "/messages", KEY_A, new JsonObject().put("body", 1));

      assertEquals(1, leaseOne(node, queue.id(), listener.id(), 150).attempts());
      sleep(400);
      assertEquals(2, leaseOne(node, queue.id(), listener.id(), 150).attempts(), "one expiry is one retry");
      assertTrue(events.isEmpty());
      TestNode.eventually(() -> events.size() == 1, 3_000);
      assertEquals(0, node.lease(queue.id(), listener.id(), 10, 150).messages().size());
      assertNull(events.get(0).payload().getValue("dead_letter_queue_id"));
      assertNull(events.get(0).payload().getValue("dead_letter_message_id"));
      assertEquals(2, events.get(0).payload().getInteger("attempts"));
      assertEquals(0, json(node.get(queuePath(ACCOUNT_A, queue.id()) + "/metrics", KEY_A)).getJsonObject("result")
          .getInteger("backlog_count"), "dropped: resolved by its only subscription");
      assertEquals(1, node.history(queue.id()).messages().size(), "kept as history until retention removes it");
    }
  }

  @Test
  void aDeadLetterQueueThatDoesNotExistDropsTheMessage() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      node.subscribe(pullConsumer(queue.id(), 0, Ids.newId()));
      List<FerryEvent> events = node.captureEvents();
      String path = queuePath(ACCOUNT_A, queue.id());
      node.post(path + "/messages", KEY_A, new JsonObject().put("body", 1));
      retry(node, path, pullOne(node, path).getString("lease_id"));
      TestNode.eventually(() -> events.size() == 1, 2_000);
      assertNull(events.get(0).payload().getValue("dead_letter_queue_id"));
      assertNull(events.get(0).payload().getValue("dead_letter_message_id"));
      assertEquals(0, pull(node, path).size());
    }
  }

  @Test
  void attemptsAndDeadLettersSurviveARestart() {
    QueueInfo source;
    QueueInfo dlq;
    SubscriptionSpec listener;
    try (TestNode node = TestNode.start(dataDir)) {
      source = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      dlq = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      listener = node.subscribe(new SubscriptionSpec(Ids.newId(), source.id(), SubscriptionSpec.Kind.LISTENER, 10,
          2, 0, 30_000, dlq.id()));
      String path = queuePath(ACCOUNT_A, source.id());
      node.post(path + "/messages", KEY_A, new JsonObject().put("body", "a"));
      node.post(path + "/messages", KEY_A, new JsonObject().put("body", "b"));
      LeaseBatch first = node.lease(source.id(), listener.id(), 10, 30_000);
      assertEquals(2, first.messages().size());
      // "a" fails twice by explicit retry; "b" expires once.
      node.settle(source.id(), listener.id(), List.of(),
          List.of(new RetryRequest(first.messages().get(0).leaseId(), 0)));
      LeasedMessage again = leaseOne(node, source.id(), listener.id(), 30_000);
      assertEquals(2, again.attempts());
      node.settle(source.id(), listener.id(), List.of(), List.of(new RetryRequest(again.leaseId(), 0)));
      sleep(100);
    }
    try (TestNode node = TestNode.start(dataDir)) {
      LeaseBatch batch = node.lease(source.id(), listener.id(), 10, 30_000);
      assertEquals(2, batch.messages().size());
      LeasedMessage a = batch.messages().get(0);
      assertEquals(3, a.attempts(), "two recorded attempts survive the restart");
      // "b"'s first lease was out at the restart: that attempt is lost, so it can only be late, never early.
      assertEquals(1, batch.messages().get(1).attempts());
      node.settle(source.id(), listener.id(), List.of(), List.of(new RetryRequest(a.leaseId(), 0)));
      assertEquals(1, node.history(dlq.id()).messages().size());
    }
    try (TestNode node = TestNode.start(dataDir)) {
      assertEquals(1, node.history(dlq.id()).messages().size(), "the dead-lettered copy is durable");
      assertEquals(1, json(node.get(queuePath(ACCOUNT_A, source.id()) + "/metrics", KEY_A)).getJsonObject("result")
          .getInteger("backlog_count"), "the dead-lettered one left the backlog");
      assertEquals(List.of(1L, 2L), node.history(source.id()).messages().stream().map(StoredMessage::sequence)
          .toList(), "and stays history");
    }
  }

  @Test
  void aLateAckAfterDeadLetteringIsAWarning() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      node.subscribe(pullConsumer(queue.id(), 0, null));
      String path = queuePath(ACCOUNT_A, queue.id());
      node.post(path + "/messages", KEY_A, new JsonObject().put("body", 1));
      JsonObject message = pullOne(node, path, 1_000);
      sleep(1_400);
      JsonObject result = json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks",
          new JsonArray().add(new JsonObject().put("lease_id", message.getString("lease_id"))))))
          .getJsonObject("result");
      assertEquals(0, result.getInteger("ackCount"));
      assertEquals(1, result.getJsonObject("warnings").size());
    }
  }

  private static SubscriptionSpec pullConsumer(String queueId, int maxRetries, String deadLetterQueueId) {
    return new SubscriptionSpec(Ids.newId(), queueId, SubscriptionSpec.Kind.PULL_CONSUMER, 5, maxRetries, 0, 30_000,
        deadLetterQueueId);
  }

  private static LeasedMessage leaseOne(TestNode node, String queueId, String subscriptionId, int visibilityMs) {
    LeaseBatch batch = node.lease(queueId, subscriptionId, 10, visibilityMs);
    assertEquals(1, batch.messages().size());
    return batch.messages().get(0);
  }

  private static JsonArray pull(TestNode node, String path) {
    return json(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
        .getJsonObject("result").getJsonArray("messages");
  }

  private static JsonObject pullOne(TestNode node, String path) {
    return pullOne(node, path, 30_000);
  }

  private static JsonObject pullOne(TestNode node, String path, int visibilityMs) {
    JsonArray messages = json(node.post(path + "/messages/pull", KEY_A, new JsonObject()
        .put("visibility_timeout_ms", visibilityMs))).getJsonObject("result").getJsonArray("messages");
    assertEquals(1, messages.size());
    return messages.getJsonObject(0);
  }

  private static JsonObject retry(TestNode node, String path, String leaseId) {
    return json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("retries",
        new JsonArray().add(new JsonObject().put("lease_id", leaseId))))).getJsonObject("result");
  }
}
