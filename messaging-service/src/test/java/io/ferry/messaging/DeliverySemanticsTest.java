package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static io.ferry.messaging.TestNode.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases, visibility timeouts, retries, delays and long polling, observed through the HTTP routes. */
class DeliverySemanticsTest {

  @TempDir
  static Path dataDir;
  static TestNode node;

  QueueInfo queue;
  String path;

  @BeforeAll
  static void start() {
    node = TestNode.start(dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void createQueue() {
    queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    path = queuePath(ACCOUNT_A, queue.id());
  }

  @Test
  void anAckedMessageIsNeverDeliveredAgain() {
    push(new JsonObject().put("body", "once"));
    JsonObject message = pullOne(1_000);
    assertEquals(1, ack("acks", message.getString("lease_id")).getInteger("ackCount"));
    sleep(1_300);
    assertEquals(0, pull(new JsonObject()).size());
  }

  @Test
  void anExpiredLeaseIsRedeliveredWithOneMoreAttempt() {
    push(new JsonObject().put("body", "again"));
    JsonObject first = pullOne(1_000);
    assertEquals(0, pull(new JsonObject()).size(), "leased messages are hidden");
    sleep(1_300);
    JsonObject second = pullOne(1_000);
    assertEquals(first.getString("id"), second.getString("id"));
    assertEquals(2, second.getInteger("attempts"));
    // The first lease was superseded by the redelivery: acking it is a warning; the new one works.
    JsonObject stale = ack("acks", first.getString("lease_id"));
    assertEquals(0, stale.getInteger("ackCount"));
    assertEquals(1, stale.getJsonObject("warnings").size());
    assertEquals(1, ack("acks", second.getString("lease_id")).getInteger("ackCount"));
  }

  @Test
  void aLateAckOfAnExpiredButNotRedeliveredLeaseSucceeds() {
    push(new JsonObject().put("body", "late"));
    JsonObject message = pullOne(1_000);
    sleep(1_300);
    JsonObject result = ack("acks", message.getString("lease_id"));
    assertEquals(1, result.getInteger("ackCount"));
    assertEquals(new JsonObject(), result.getJsonObject("warnings"));
    assertEquals(0, pull(new JsonObject()).size());
  }

  @Test
  void aRetryWithDelayMakesTheMessageAvailableAfterTheDelay() {
    push(new JsonObject().put("body", "retry me"));
    JsonObject message = pullOne(30_000);
    JsonObject result = node.post(path + "/messages/ack", KEY_A, new JsonObject().put("retries", new JsonArray()
        .add(new JsonObject().put("lease_id", message.getString("lease_id")).put("delay_seconds", 1))))
        .bodyAsJsonObject().getJsonObject("result");
    assertEquals(1, result.getInteger("retryCount"));
    assertEquals(0, pull(new JsonObject()).size());
    sleep(1_200);
    JsonObject again = pullOne(30_000);
    assertEquals(message.getString("id"), again.getString("id"));
    assertEquals(2, again.getInteger("attempts"));
  }

  @Test
  void aDelayedMessageIsInvisibleUntilDueAndMessageDelayBeatsBatchDelay() {
    push(new JsonObject().put("body", "later").put("delay_seconds", 1));
    node.post(path + "/messages/batch", KEY_A, new JsonObject().put("delay_seconds", 1).put("messages",
        new JsonArray().add(new JsonObject().put("body", "now").put("content_type", "text").put("delay_seconds", 0))
            .add(new JsonObject().put("body", "batch-delayed"))));
    JsonArray immediate = pull(new JsonObject().put("batch_size", 10));
    assertEquals(1, immediate.size());
    assertEquals("now", immediate.getJsonObject(0).getString("body"));
    sleep(1_200);
    assertEquals(2, pull(new JsonObject().put("batch_size", 10)).size());
  }

  @Test
  void theQueueDeliveryDelayAppliesWhenTheMessageHasNone() {
    node.upsertQueue(new QueueInfo(queue.id(), ACCOUNT_A, queue.name(), 1, 2, new QueueSettings(1, false, 345_600)));
    push(new JsonObject().put("body", "queue-delayed"));
    assertEquals(0, pull(new JsonObject()).size());
    sleep(1_200);
    assertEquals(1, pull(new JsonObject()).size());
  }

  @Test
  void aBatchDelayBeatsTheQueueDelay() {
    node.upsertQueue(new QueueInfo(queue.id(), ACCOUNT_A, queue.name(), 1, 2, new QueueSettings(60, false, 345_600)));
    node.post(path + "/messages/batch", KEY_A, new JsonObject().put("delay_seconds", 0).put("messages",
        new JsonArray().add(new JsonObject().put("body", "now"))));
    assertEquals(1, pull(new JsonObject()).size());
  }

  @Test
  void pausingStopsPullsLeasesAndParkedPollsButNotPushes() {
    SubscriptionSpec listener = node.subscribe(queue.id(), SubscriptionSpec.Kind.LISTENER);
    Future<HttpResponse<Buffer>> parked = node.postAsync(path + "/messages/pull", KEY_A,
        new JsonObject().put("wait_ms", 1_500).toBuffer());
    sleep(200);
    QueueInfo paused = new QueueInfo(queue.id(), ACCOUNT_A, queue.name(), 1, 2, new QueueSettings(0, true, 345_600));
    node.upsertQueue(paused);
    push(new JsonObject().put("body", "while paused"));
    assertEquals(0, json(await(parked)).getJsonObject("result").getJsonArray("messages").size(),
        "a poll parked before the pause gets nothing pushed during it");
    assertEquals(io.ferry.contracts.error.ErrorCode.DELIVERY_PAUSED, TestNode.failure(Bus.request(node.vertx,
        Addresses.MESSAGING_LEASE, new LeaseRequest(queue.id(), listener.id(), 10, 30_000, 0))).code());

    Future<HttpResponse<Buffer>> waiting = node.postAsync(path + "/messages/pull", KEY_A,
        new JsonObject().put("wait_ms", 10_000).toBuffer());
    assertEquals(409, await(waiting).statusCode(), "pull while paused");
    node.upsertQueue(queue);
    assertEquals(1, pull(new JsonObject()).size());
    assertEquals(1, lease(queue.id(), listener.id()).messages().size());
  }

  @Test
  void aLongPollReturnsAsSoonAsAMessageArrives() {
    long started = System.currentTimeMillis();
    Future<HttpResponse<Buffer>> waiting = node.postAsync(path + "/messages/pull", KEY_A,
        new JsonObject().put("wait_ms", 10_000).toBuffer());
    sleep(300);
    assertTrue(!waiting.isComplete(), "the pull waits while nothing is ready");
    push(new JsonObject().put("body", "wake up"));
    JsonArray messages = json(await(waiting)).getJsonObject("result").getJsonArray("messages");
    long elapsed = System.currentTimeMillis() - started;
    assertEquals(1, messages.size());
    assertTrue(elapsed < 5_000, "returned after " + elapsed + " ms");
  }

  @Test
  void aLongPollEndsEmptyWhenItsWaitEnds() {
    long started = System.currentTimeMillis();
    assertEquals(0, pull(new JsonObject().put("wait_ms", 400)).size());
    assertTrue(System.currentTimeMillis() - started >= 350);
  }

  @Test
  void aNewPullConsumerGetsTheBacklogAndANewListenerOnlyWhatFollows() {
    QueueInfo history = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    String historyPath = queuePath(ACCOUNT_A, history.id());
    node.post(historyPath + "/messages", KEY_A, new JsonObject().put("body", "old-1"));
    node.post(historyPath + "/messages", KEY_A, new JsonObject().put("body", "old-2"));

    node.subscribe(history.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    SubscriptionSpec listener = node.subscribe(history.id(), SubscriptionSpec.Kind.LISTENER);
    JsonArray backlog = json(node.post(historyPath + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
        .getJsonObject("result").getJsonArray("messages");
    assertEquals(2, backlog.size());
    assertEquals(0, lease(history.id(), listener.id()).messages().size());

    node.post(historyPath + "/messages", KEY_A, new JsonObject().put("body", "new"));
    LeaseBatch leased = lease(history.id(), listener.id());
    assertEquals(1, leased.messages().size());
    assertEquals(3, leased.messages().get(0).message().sequence());
    AckResult acked = await(Bus.request(node.vertx, Addresses.MESSAGING_ACK,
        new AckRequest(history.id(), listener.id(), List.of(leased.messages().get(0).leaseId()), List.of())));
    assertEquals(1, acked.ackCount());
  }

  @Test
  void liveSubscribersSeeEveryMessageAtPublishDelayedOrNot() {
    List<PublishedBatch> seen = new CopyOnWriteArrayList<>();
    await(node.vertx.eventBus().<PublishedBatch>consumer(Addresses.published(queue.id()),
        message -> seen.add(message.body())).completion());
    push(new JsonObject().put("body", "a"));
    push(new JsonObject().put("body", "b").put("delay_seconds", 60));
    TestNode.eventually(() -> seen.size() == 2, 2_000);
    assertEquals(1, seen.get(0).messages().get(0).sequence());
    assertEquals(2, seen.get(1).messages().get(0).sequence());
  }

  private LeaseBatch lease(String queueId, String subscriptionId) {
    return await(Bus.request(node.vertx, Addresses.MESSAGING_LEASE,
        new LeaseRequest(queueId, subscriptionId, 10, 30_000, 0)));
  }

  private void push(JsonObject body) {
    assertEquals(200, node.post(path + "/messages", KEY_A, body).statusCode());
  }

  private JsonArray pull(JsonObject body) {
    HttpResponse<Buffer> response = node.post(path + "/messages/pull", KEY_A, body);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result").getJsonArray("messages");
  }

  private JsonObject pullOne(int visibilityTimeoutMs) {
    JsonArray messages = pull(new JsonObject().put("visibility_timeout_ms", visibilityTimeoutMs));
    assertEquals(1, messages.size());
    return messages.getJsonObject(0);
  }

  private JsonObject ack(String kind, String leaseId) {
    HttpResponse<Buffer> response = node.post(path + "/messages/ack", KEY_A, new JsonObject().put(kind,
        new JsonArray().add(new JsonObject().put("lease_id", leaseId))));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result");
  }
}
