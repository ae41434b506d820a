package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acks settle delivery state; retention governs the log. A message every subscription acked leaves the
 * backlog (metrics, pulls, peeks, listings, lookups) but stays replayable as history until its retention
 * period passes, across restarts (retention itself: {@code core.RetentionRulesTest}).
 */
class ReplayAcrossAcksTest {

  @TempDir
  Path dataDir;

  @Test
  void ackedMessagesStayReplayableButLeaveTheBacklogAcrossARestart() {
    QueueInfo queue;
    String path;
    String ackedId;
    try (TestNode node = TestNode.start(dataDir)) {
      queue = node.createPullQueue();
      path = queuePath(ACCOUNT_A, queue.id());
      for (String body : List.of("m1", "m2", "m3")) {
        assertEquals(200, node.post(path + "/messages", KEY_A, new JsonObject().put("body", body).put("content_type", "text")).statusCode());
      }
      JsonArray pulled = pull(node, path, 2);
      assertEquals(2, pulled.size());
      ackedId = pulled.getJsonObject(0).getString("id");
      JsonArray acks = new JsonArray();
      pulled.forEach(m -> acks.add(new JsonObject().put("lease_id", ((JsonObject) m).getString("lease_id"))));
      JsonObject acked = json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks", acks)))
          .getJsonObject("result");
      assertEquals(2, acked.getInteger("ackCount"));

      assertEquals(List.of(1L, 2L, 3L), sequences(node.history(queue.id())), "acks do not cut the log");
      assertBacklogIsOnlyTheUnacked(node, queue, path, ackedId);
    }
    try (TestNode node = TestNode.start(dataDir)) {
      HistoryPage history = node.history(queue.id());
      assertEquals(List.of(1L, 2L, 3L), sequences(history), "still replayable after a restart");
      assertEquals(1, history.oldestSequence());
      assertBacklogIsOnlyTheUnacked(node, queue, path, ackedId);
      JsonArray pulled = pull(node, path, 10);
      assertEquals(1, pulled.size(), "the acked ones are never delivered again");
      assertEquals("m3", pulled.getJsonObject(0).getString("body"));
    }
  }

  @Test
  void deletingTheOnlyOtherSubscriptionSettlesWhatItAloneStillHeld() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createPullQueue();
      String path = queuePath(ACCOUNT_A, queue.id());
      assertEquals(200, node.post(path + "/messages", KEY_A, new JsonObject().put("body", "a")).statusCode());
      JsonArray pulled = pull(node, path, 1);
      json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks", new JsonArray()
          .add(new JsonObject().put("lease_id", pulled.getJsonObject(0).getString("lease_id"))))));
      // A consumer created later gets the backlog that exists then: the settled message is not part of it.
      node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
      assertEquals(0, backlogCount(node, path));
      assertEquals(1, node.history(queue.id()).messages().size());
    }
  }

  private static void assertBacklogIsOnlyTheUnacked(TestNode node, QueueInfo queue, String path, String ackedId) {
    assertEquals(1, backlogCount(node, path));
    JsonArray listed = json(node.get("/v1/queues/" + queue.id() + "/messages", KEY_A)).getJsonArray("messages");
    assertEquals(1, listed.size(), listed.encode());
    assertEquals(404, node.get("/v1/queues/" + queue.id() + "/messages/" + ackedId, KEY_A).statusCode());
  }

  private static int backlogCount(TestNode node, String path) {
    return json(node.get(path + "/metrics", KEY_A)).getJsonObject("result").getInteger("backlog_count");
  }

  private static JsonArray pull(TestNode node, String path, int batchSize) {
    return json(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", batchSize)))
        .getJsonObject("result").getJsonArray("messages");
  }

  private static List<Long> sequences(HistoryPage page) {
    return page.messages().stream().map(StoredMessage::sequence).toList();
  }
}
