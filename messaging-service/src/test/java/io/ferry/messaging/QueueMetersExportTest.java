package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.testkit.MetricsScrape;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-queue series on {@code /metrics} follow what producers and consumers do to the queue. */
class QueueMetersExportTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void backlogLeasesAndAcksShowInTheQueueSeries() {
    QueueInfo queue = node.createPullQueue();
    String path = queuePath(ACCOUNT_A, queue.id());
    for (int i = 0; i < 3; i++) {
      node.post(path + "/messages", KEY_A, new JsonObject().put("body", "message " + i).put("content_type", "text"));
    }
    awaitValue(queue, "ferry_queue_backlog_messages", 3);
    MetricsScrape pushed = scrape();
    assertEquals(3, value(pushed, queue, "ferry_queue_messages_pushed_total"));
    JsonObject routeMetrics = json(node.get(path + "/metrics", KEY_A)).getJsonObject("result");
    assertEquals(routeMetrics.getLong("backlog_bytes").doubleValue(), value(pushed, queue,
        "ferry_queue_backlog_bytes"));
    double age = value(pushed, queue, "ferry_queue_oldest_message_age_seconds");
    assertTrue(age >= 0 && age < 60, "age " + age);

    JsonArray pulled = json(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)
        .put("visibility_timeout_ms", 60_000))).getJsonObject("result").getJsonArray("messages");
    assertEquals(3, pulled.size());
    awaitValue(queue, "ferry_queue_leased_messages", 3);
    assertEquals(3, value(scrape(), queue, "ferry_queue_messages_delivered_total"));

    JsonArray acks = new JsonArray();
    pulled.forEach(message -> acks.add(new JsonObject().put("lease_id", ((JsonObject) message).getString("lease_id"))));
    node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks", acks));
    awaitValue(queue, "ferry_queue_backlog_messages", 0);
    MetricsScrape acked = scrape();
    assertEquals(3, value(acked, queue, "ferry_queue_messages_acked_total"));
    assertEquals(0, value(acked, queue, "ferry_queue_leased_messages"));
    assertEquals(0, value(acked, queue, "ferry_queue_backlog_bytes"));
    assertEquals(0, value(acked, queue, "ferry_queue_oldest_message_age_seconds"));
  }

  @Test
  void aRetryIsCountedAndWaitsAsDelayed() {
    QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    String path = queuePath(ACCOUNT_A, queue.id());
    node.post(path + "/messages", KEY_A, new JsonObject().put("body", "later").put("content_type", "text"));
    retry(path, pullOne(path), 60);
    awaitValue(queue, "ferry_queue_delayed_messages", 1);
    MetricsScrape scrape = scrape();
    assertEquals(1, value(scrape, queue, "ferry_queue_messages_retried_total"));
    assertEquals(1, value(scrape, queue, "ferry_queue_backlog_messages"));
    assertEquals(0, value(scrape, queue, "ferry_queue_leased_messages"));
  }

  @Test
  void aDeadLetteredMessageIsCountedAtItsSourceAndPushedToItsDeadLetterQueue() {
    QueueInfo source = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    QueueInfo dlq = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    node.subscribe(new SubscriptionSpec(Ids.newId(), source.id(), SubscriptionSpec.Kind.PULL_CONSUMER, 5, 0, 0,
        30_000, dlq.id()));
    String path = queuePath(ACCOUNT_A, source.id());
    node.post(path + "/messages", KEY_A, new JsonObject().put("body", "poison").put("content_type", "text"));
    retry(path, pullOne(path), 0);
    awaitValue(source, "ferry_queue_messages_dead_lettered_total", 1);
    awaitValue(dlq, "ferry_queue_backlog_messages", 1);
    MetricsScrape scrape = scrape();
    assertEquals(0, value(scrape, source, "ferry_queue_backlog_messages"));
    assertEquals(0, value(scrape, source, "ferry_queue_messages_retried_total"));
    assertEquals(1, value(scrape, dlq, "ferry_queue_messages_pushed_total"));
  }

  @Test
  void aListenersMissedMessagesAreAGauge() {
    QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    SubscriptionSpec listener = node.subscribe(queue.id(), SubscriptionSpec.Kind.LISTENER);
    node.post(queuePath(ACCOUNT_A, queue.id()) + "/messages", KEY_A, new JsonObject().put("body", 1));
    LeaseBatch leased = node.lease(queue.id(), listener.id(), 10, 30_000);
    assertEquals(1, leased.messages().size());
    AckResult result = TestNode.await(Bus.request(node.vertx, Addresses.MESSAGING_ACK, new AckRequest(queue.id(),
        listener.id(), List.of(), List.of(), List.of(leased.messages().get(0).leaseId()), List.of())));
    assertTrue(result.warnings().isEmpty(), result.warnings().toString());
    awaitValue(queue, "ferry_queue_missed_messages", 1);
  }

  @Test
  void backlogPastItsRetentionIsCountedAsExpired() {
    QueueInfo queue = node.createQueue(ACCOUNT_A, new QueueSettings(0, false, 1));
    node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    String path = queuePath(ACCOUNT_A, queue.id());
    node.post(path + "/messages", KEY_A, new JsonObject().put("body", 1));
    node.post(path + "/messages", KEY_A, new JsonObject().put("body", 2));
    awaitValue(queue, "ferry_queue_messages_expired_total", 2);
    awaitValue(queue, "ferry_queue_backlog_messages", 0);
  }

  @Test
  void deletingAQueueRemovesItsSeries() {
    QueueInfo queue = node.createPullQueue();
    node.post(queuePath(ACCOUNT_A, queue.id()) + "/messages", KEY_A, new JsonObject().put("body", 1));
    awaitValue(queue, "ferry_queue_backlog_messages", 1);
    node.deleteQueue(queue.id());
    assertFalse(scrape().anyLabelled("queue", queue.id()));
  }

  private static JsonObject pullOne(String path) {
    JsonArray messages = json(node.post(path + "/messages/pull", KEY_A, new JsonObject()
        .put("visibility_timeout_ms", 30_000))).getJsonObject("result").getJsonArray("messages");
    assertEquals(1, messages.size());
    return messages.getJsonObject(0);
  }

  private static void retry(String path, JsonObject message, int delaySeconds) {
    node.post(path + "/messages/ack", KEY_A, new JsonObject().put("retries", new JsonArray().add(new JsonObject()
        .put("lease_id", message.getString("lease_id")).put("delay_seconds", delaySeconds))));
  }

  private static MetricsScrape scrape() {
    return MetricsScrape.of(node.get("/metrics").bodyAsString());
  }

  private static double value(MetricsScrape scrape, QueueInfo queue, String name) {
    return scrape.value(name, Map.of("queue", queue.id())).orElseThrow(() -> new AssertionError(name
        + " of queue " + queue.id() + " is not in /metrics"));
  }

  private static void awaitValue(QueueInfo queue, String name, double expected) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(
        () -> scrape().valueOr(name, Map.of("queue", queue.id()), -1) == expected);
  }
}
