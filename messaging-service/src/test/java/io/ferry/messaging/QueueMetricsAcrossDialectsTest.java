package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One queue, produced to through all three dialects: the backlog the Cloudflare metrics route reports is the
 * one its push, pull and peek answers report, and the one the discue and Sonya views of the queue show.
 */
class QueueMetricsAcrossDialectsTest {

  @TempDir
  Path dataDir;

  @Test
  void everyDialectReportsTheSameBacklogForTheSameQueue() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createPullQueue();
      String path = queuePath(ACCOUNT_A, queue.id());

      JsonObject pushed = ok(node.post(path + "/messages", KEY_A, new JsonObject().put("body", "cf-one")
          .put("content_type", "text")));
      assertEquals(1, metricsIn(pushed).getInteger("backlog_count"));
      assertEquals(200, node.post("/v1/queues/" + queue.id() + "/messages", KEY_A,
          new JsonObject().put("name", "discue-two").put("data", "discue")).statusCode());
      HttpResponse<Buffer> sent = node.post("/queue/send/" + queue.name(), KEY_A,
          new JsonObject().put("id", "sonya-three").put("payload", new JsonObject().put("n", 3)));
      assertEquals(3, json(sent).getInteger("sequence"), "Sonya counts the same three messages");
      JsonObject batch = ok(node.post(path + "/messages/batch", KEY_A, new JsonObject().put("messages",
          new JsonArray().add(new JsonObject().put("body", List.of(4, 4))))));

      List<StoredMessage> stored = node.history(queue.id()).messages();
      assertEquals(4, stored.size());
      JsonObject expected = new JsonObject()
          .put("backlog_count", 4)
          .put("backlog_bytes", stored.stream().mapToLong(m -> m.body().length).sum())
          .put("oldest_message_timestamp_ms", stored.get(0).timestampMs());
      assertEquals(expected, metricsIn(batch), "bulk push answer");
      assertEquals(expected, ok(node.get(path + "/metrics", KEY_A)), "metrics route");

      JsonArray discueList = json(node.get("/v1/queues/" + queue.id() + "/messages", KEY_A)).getJsonArray("messages");
      assertEquals(4, discueList.size(), "discue lists the same messages");
      JsonArray peeked = ok(node.post(path + "/messages/peek", KEY_A, new JsonObject().put("batch_size", 10)))
          .getJsonArray("messages");
      assertEquals(4, peeked.size());
      assertEquals(expected.getLong("oldest_message_timestamp_ms"), peeked.getJsonObject(0).getLong("timestamp_ms"));
      for (int i = 0; i < 4; i++) {
        assertEquals(discueList.getJsonObject(i).getString("id"), peeked.getJsonObject(i).getString("id"));
      }

      // A pull leases but does not settle: still backlog, in its own answer and in the metrics route.
      JsonObject pulled = ok(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 1)));
      assertEquals(4, pulled.getInteger("message_backlog_count"));
      assertEquals(expected, metricsIn(pulled), "pull answer");
      assertEquals(expected, ok(node.get(path + "/metrics", KEY_A)));

      // Acked: gone from every view, the oldest is now the discue message.
      String lease = pulled.getJsonArray("messages").getJsonObject(0).getString("lease_id");
      ok(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks",
          new JsonArray().add(new JsonObject().put("lease_id", lease)))));
      JsonObject afterAck = new JsonObject()
          .put("backlog_count", 3)
          .put("backlog_bytes", expected.getLong("backlog_bytes") - stored.get(0).body().length)
          .put("oldest_message_timestamp_ms", stored.get(1).timestampMs());
      assertEquals(afterAck, ok(node.get(path + "/metrics", KEY_A)));
      assertEquals(3, ok(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 1)))
          .getInteger("message_backlog_count"));
    }
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result");
  }

  private static JsonObject metricsIn(JsonObject result) {
    return result.getJsonObject("metadata").getJsonObject("metrics");
  }
}
