package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.ACCOUNT_B;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.PurgeRecord;
import io.ferry.messaging.store.RocksMessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purges remove what was there when they started, for every subscription, durably. Retention is covered on
 * the engine with a set clock ({@code core.RetentionRulesTest}).
 */
class RetentionAndPurgeTest {

  @TempDir
  Path dataDir;

  @Test
  void aPurgeRemovesWhatWasThereWhenItStartedForEverySubscription() {
    QueueInfo queue;
    long startedAt;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      SubscriptionSpec listener = node.subscribe(queue.id(), SubscriptionSpec.Kind.LISTENER);
      node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
      String path = queuePath(ACCOUNT_A, queue.id());
      for (int i = 0; i < 5; i++) {
        push(node, path, "before-" + i);
      }
      JsonObject leased = pull(node, path).getJsonObject(0);
      assertEquals(new PurgeStatus(false, 0), status(node, ACCOUNT_A, queue.id()), "never purged");

      long before = System.currentTimeMillis();
      PurgeStatus started = await(Bus.request(node.vertx, Addresses.MESSAGING_QUEUE_PURGE,
          new ResourceRef(ACCOUNT_A, queue.id())));
      startedAt = started.startedAtMs();
      assertTrue(startedAt >= before && startedAt <= System.currentTimeMillis(), "started at " + startedAt);
      push(node, path, "after");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node, ACCOUNT_A, queue.id()).completed());
      assertEquals(startedAt, status(node, ACCOUNT_A, queue.id()).startedAtMs());

      assertEquals(List.of("after"), node.history(queue.id()).messages().stream().map(RetentionAndPurgeTest::body)
          .toList());
      JsonArray pulled = pull(node, path);
      assertEquals(1, pulled.size());
      assertEquals("after", pulled.getJsonObject(0).getString("body"));
      assertEquals(1, node.lease(queue.id(), listener.id(), 10, 30_000).messages().size());
      JsonObject lateAck = json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks",
          new JsonArray().add(new JsonObject().put("lease_id", leased.getString("lease_id")))))).getJsonObject("result");
      assertEquals(0, lateAck.getInteger("ackCount"), "a lease of a purged message is gone");
    }
    try (TestNode node = TestNode.start(dataDir)) {
      assertEquals(new PurgeStatus(true, startedAt), status(node, ACCOUNT_A, queue.id()), "the status is durable");
      assertEquals(1, node.history(queue.id()).messages().size());
    }
  }

  @Test
  void aPurgeOfAnotherAccountsOrAMissingQueueIsNotFoundAndChangesNothing() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      push(node, queuePath(ACCOUNT_A, queue.id()), "x");
      assertEquals(ErrorCode.QUEUE_NOT_FOUND, TestNode.failure(Bus.request(node.vertx,
          Addresses.MESSAGING_QUEUE_PURGE, new ResourceRef(ACCOUNT_B, queue.id()))).code());
      assertEquals(ErrorCode.QUEUE_NOT_FOUND, TestNode.failure(Bus.request(node.vertx,
          Addresses.MESSAGING_QUEUE_PURGE, new ResourceRef(ACCOUNT_A, Ids.newId()))).code());
      assertEquals(ErrorCode.QUEUE_NOT_FOUND, TestNode.failure(Bus.request(node.vertx,
          Addresses.MESSAGING_PURGE_STATUS, new ResourceRef(ACCOUNT_B, queue.id()))).code());
      assertEquals(ErrorCode.INVALID_FIELD, TestNode.failure(Bus.request(node.vertx,
          Addresses.MESSAGING_QUEUE_PURGE, null)).code());
      // Every refusal is answered before anything starts: a purge would show in the status at once.
      assertEquals(new PurgeStatus(false, 0), status(node, ACCOUNT_A, queue.id()));
      assertEquals(1, node.history(queue.id()).messages().size());
    }
  }

  @Test
  void aPurgeInterruptedByACrashIsFinishedAtStart() {
    String queueId = Ids.newId();
    String consumerId = Ids.newId();
    QueueInfo queue = new QueueInfo(queueId, ACCOUNT_A, "interrupted", 1, 1, QueueSettings.DEFAULTS);
    RocksMessageStore store = RocksMessageStore.open(dataDir.resolve("messaging"));
    StoreBatch batch = new StoreBatch().putQueue(queue).putSubscription(new SubscriptionSpec(consumerId, queueId,
        SubscriptionSpec.Kind.PULL_CONSUMER, 5, 3, 0, 30_000, null));
    long now = System.currentTimeMillis();
    for (long sequence = 1; sequence <= 4; sequence++) {
      batch.append(new StoredMessage(Ids.newId(), queueId, sequence, null, ContentType.TEXT,
          ("m" + sequence).getBytes(StandardCharsets.UTF_8), now, now)).putPending(consumerId, sequence, 0, now);
    }
    // The state a kill -9 leaves between the purge's start and its removal: started, through sequence 3.
    batch.putPurge(new PurgeRecord(queueId, 5_000, 3, false));
    await(store.commit(batch));
    await(store.close());

    try (TestNode node = TestNode.start(dataDir)) {
      assertEquals(new PurgeStatus(true, 5_000), status(node, ACCOUNT_A, queueId));
      assertEquals(List.of(4L), node.history(queueId).messages().stream().map(StoredMessage::sequence).toList());
      JsonArray pulled = pull(node, queuePath(ACCOUNT_A, queueId));
      assertEquals(1, pulled.size());
      assertEquals("m4", pulled.getJsonObject(0).getString("body"));
    }
    try (TestNode node = TestNode.start(dataDir)) {
      assertEquals(List.of(4L), node.history(queueId).messages().stream().map(StoredMessage::sequence).toList());
    }
  }

  private static PurgeStatus status(TestNode node, String accountId, String queueId) {
    return await(Bus.request(node.vertx, Addresses.MESSAGING_PURGE_STATUS, new ResourceRef(accountId, queueId)));
  }

  private static void push(TestNode node, String path, String text) {
    assertEquals(200, node.post(path + "/messages", KEY_A, new JsonObject().put("body", text)
        .put("content_type", "text")).statusCode());
  }

  private static JsonArray pull(TestNode node, String path) {
    return json(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
        .getJsonObject("result").getJsonArray("messages");
  }

  private static String body(StoredMessage message) {
    return new String(message.body(), StandardCharsets.UTF_8);
  }
}
