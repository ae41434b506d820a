package io.ferry.messaging;

import static io.ferry.contracts.error.Dialect.CLOUDFLARE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.TopologySnapshot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts on the same data, topology commands and reconciliation with admin's snapshot, readiness. */
class TopologyAndRecoveryTest {

  @TempDir
  Path dataDir;

  @Test
  void unresolvedMessagesSequencesAndAcksSurviveARestart() {
    QueueInfo queue;
    String path;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createPullQueue();
      path = queuePath(ACCOUNT_A, queue.id());
      for (int i = 1; i <= 3; i++) {
        node.post(path + "/messages", KEY_A, new JsonObject().put("body", "m" + i).put("content_type", "text"));
      }
      JsonArray leased = pull(node, path, 2);
      node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks", new JsonArray()
          .add(new JsonObject().put("lease_id", leased.getJsonObject(0).getString("lease_id")))));
    }
    try (TestNode node = TestNode.start(dataDir)) {
      // m1 was acked; m2's lease did not survive, so it is available again with its body intact.
      JsonArray messages = pull(node, path, 10);
      assertEquals(List.of("m2", "m3"), List.of(messages.getJsonObject(0).getString("body"),
          messages.getJsonObject(1).getString("body")));
      assertEquals(2, messages.size());
      assertEquals(4, json(node.post("/queue/send/" + queue.name(), KEY_A,
          new JsonObject().put("id", "x").put("payload", 1))).getInteger("sequence"));
    }
  }

  @Test
  void deletingAQueueDropsItsMessagesAndSubscriptions() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createPullQueue();
      String path = queuePath(ACCOUNT_A, queue.id());
      node.post(path + "/messages", KEY_A, new JsonObject().put("body", 1));
      node.deleteQueue(queue.id());
      assertError(node.post(path + "/messages", KEY_A, new JsonObject().put("body", 1)),
          CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND);
      // Recreated under the same id (admin never does this, but the store must be clean).
      node.upsertQueue(queue);
      node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
      assertEquals(0, pull(node, path, 10).size());
    }
  }

  @Test
  void deletingTheLastSubscriptionKeepsMessagesAsHistory() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      SubscriptionSpec consumer = node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
      node.post(queuePath(ACCOUNT_A, queue.id()) + "/messages", KEY_A, new JsonObject().put("body", 1));
      await(Bus.request(node.vertx, Addresses.MESSAGING_SUBSCRIPTION_DELETE,
          new io.ferry.contracts.model.ResourceRef(null, consumer.id())));
      HistoryPage page = await(Bus.request(node.vertx, Addresses.MESSAGING_HISTORY,
          new HistoryRequest(queue.id(), 1, null, 10)));
      assertEquals(1, page.messages().size());
      assertEquals(1, page.headSequence());
    }
  }

  @Test
  void startUpReconcilesWithAdminsSnapshotAndOnlyThenIsReady() {
    QueueInfo stale;
    QueueInfo kept = new QueueInfo(Ids.newId(), ACCOUNT_A, "kept", 1, 1, QueueSettings.DEFAULTS);
    SubscriptionSpec consumer = new SubscriptionSpec(Ids.newId(), kept.id(), SubscriptionSpec.Kind.PULL_CONSUMER,
        5, 3, 0, 30_000, null);
    try (TestNode node = TestNode.start(dataDir)) {
      stale = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      assertEquals(503, node.get("/health/ready").statusCode());
    }
    try (TestNode node = TestNode.start(dataDir)) {
      await(Bus.serve(node.vertx, Addresses.TOPOLOGY_SNAPSHOT,
          ignored -> Future.succeededFuture(new TopologySnapshot(List.of(kept), List.of(consumer)))));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.get("/health/ready").statusCode() == 200);
      JsonObject checks = json(node.get("/health/ready"));
      assertEquals("UP", checks.getString("status"), checks.encode());

      assertError(node.post(queuePath(ACCOUNT_A, stale.id()) + "/messages", KEY_A,
          new JsonObject().put("body", 1)), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND);
      String path = queuePath(ACCOUNT_A, kept.id());
      assertEquals(200, node.post(path + "/messages", KEY_A, new JsonObject().put("body", 1)).statusCode());
      assertEquals(1, pull(node, path, 10).size());
    }
  }

  private static JsonArray pull(TestNode node, String path, int batchSize) {
    return json(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", batchSize)))
        .getJsonObject("result").getJsonArray("messages");
  }
}
