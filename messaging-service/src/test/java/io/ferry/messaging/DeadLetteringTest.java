package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * max_retries with Cloudflare's meaning: a message is dead-lettered when a delivery fails after it was
 * delivered max_retries + 1 times, never earlier, as seen through the routes and the bus. Lease expiry and
 * restarts are covered on the engine with a set clock ({@code core.DeadLetteringRulesTest}).
 */
class DeadLetteringTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void aMessageIsDeadLetteredExactlyWhenItsLastAllowedRetryFails() {
    QueueInfo source = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    QueueInfo dlq = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    SubscriptionSpec dlqConsumer = node.subscribe(dlq.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    SubscriptionSpec consumer = node.subscribe(pullConsumer(source.id(), 2, dlq.id()));
    List<FerryEvent> events = node.captureEvents();
    String path = queuePath(ACCOUNT_A, source.id());
    node.post(path + "/messages", KEY_A, new JsonObject().put("body", "poison").put("content_type", "text"));

    String messageId = null;
    long originalTimestamp = 0;
    for (int attempt = 1; attempt <= 3; attempt++) {
      JsonObject message = pullOne(path);
      assertEquals(attempt, message.getInteger("attempts"));
      messageId = message.getString("id");
      originalTimestamp = message.getLong("timestamp_ms");
      JsonObject result = retry(path, message.getString("lease_id"));
      assertEquals(1, result.getInteger("retryCount"));
      if (attempt < 3) {
        assertEquals(0, node.history(dlq.id()).messages().size(), "not dead-lettered after " + attempt);
        assertTrue(events.isEmpty());
      }
    }
    // Delivered max_retries + 1 = 3 times and failed: gone from the source, in the dead-letter queue.
    assertEquals(0, pull(path).size());
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

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    FerryEvent event = events.get(0);
    assertEquals(EventTypes.MESSAGE_DEAD_LETTERED, event.type());
    assertEquals(ACCOUNT_A, event.accountId());
    assertEquals(messageId, event.resourceId());
    assertEquals(source.id(), event.payload().getString("queue_id"));
    assertEquals(messageId, event.payload().getString("message_id"));
    assertEquals(3, event.payload().getInteger("attempts"));
    assertEquals(dlq.id(), event.payload().getString("dead_letter_queue_id"));
    assertEquals(consumer.id(), event.payload().getString("subscription_id"));
    // The copy has its own id and time in the dead-letter queue; the event links it to the original.
    assertEquals(copy.id(), event.payload().getString("dead_letter_message_id"));
    assertEquals(originalTimestamp, event.payload().getLong("timestamp_ms"));
  }

  @Test
  void aDeadLetterQueueThatDoesNotExistDropsTheMessage() {
    QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    node.subscribe(pullConsumer(queue.id(), 0, Ids.newId()));
    List<FerryEvent> events = node.captureEvents();
    String path = queuePath(ACCOUNT_A, queue.id());
    node.post(path + "/messages", KEY_A, new JsonObject().put("body", 1));
    retry(path, pullOne(path).getString("lease_id"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    assertNull(events.get(0).payload().getValue("dead_letter_queue_id"));
    assertNull(events.get(0).payload().getValue("dead_letter_message_id"));
    assertEquals(0, pull(path).size());
  }

  private static SubscriptionSpec pullConsumer(String queueId, int maxRetries, String deadLetterQueueId) {
    return new SubscriptionSpec(Ids.newId(), queueId, SubscriptionSpec.Kind.PULL_CONSUMER, 5, maxRetries, 0, 30_000,
        deadLetterQueueId);
  }

  private static JsonArray pull(String path) {
    return json(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
        .getJsonObject("result").getJsonArray("messages");
  }

  private static JsonObject pullOne(String path) {
    JsonArray messages = json(node.post(path + "/messages/pull", KEY_A, new JsonObject()
        .put("visibility_timeout_ms", 30_000))).getJsonObject("result").getJsonArray("messages");
    assertEquals(1, messages.size());
    return messages.getJsonObject(0);
  }

  private static JsonObject retry(String path, String leaseId) {
    return json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("retries",
        new JsonArray().add(new JsonObject().put("lease_id", leaseId))))).getJsonObject("result");
  }
}
