package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.Publication;
import io.ferry.messaging.core.Sequences;
import io.ferry.messaging.store.RocksMessageStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-chosen sequences stay at most 2^53 - 1, so a queue always has room to grow; a change that is
 * durable is never answered as a failure.
 */
class SequenceCeilingTest {

  private static final long CEILING = 9_007_199_254_740_991L;

  @TempDir
  Path dataDir;

  @Test
  void theCeilingIsJavaScriptsLargestExactInteger() {
    assertEquals(CEILING, Sequences.MAX_CLIENT_SEQUENCE);
  }

  @Test
  void sonyaSequencesAboveTheCeilingAreRefusedInSonyasFormatAndStoreNothing() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      String send = "/queue/send/" + queue.name();
      assertEquals(1, json(node.post(send, KEY_A, sonya("first", null))).getLong("sequence"));

      for (String tooHigh : List.of("9223372036854775807", "9007199254740992", "9223372036854775808",
          "1e300", "\"9223372036854775807\"", "-9223372036854775808")) {
        HttpResponse<Buffer> refused = node.post(send, KEY_A,
            Buffer.buffer("{\"id\":\"x\",\"payload\":1,\"sequence\":" + tooHigh + "}"));
        assertEquals(400, refused.statusCode(), tooHigh + ": " + refused.bodyAsString());
        JsonObject body = json(refused);
        assertEquals(false, body.getBoolean("success"));
        assertEquals("invalid_field", body.getString("code"));
        assertTrue(body.getString("message").contains("sequence"), body.encode());
        assertTrue(body.getString("message").contains(String.valueOf(CEILING)), body.encode());
      }
      // Nothing was stored: the next push gets the next sequence and history holds only the first message.
      assertEquals(List.of(1L), sequences(node.history(queue.id())));
      assertEquals(2, json(node.post(send, KEY_A, sonya("second", null))).getLong("sequence"));

      // The ceiling itself is accepted, and the queue still grows past it in every dialect.
      assertEquals(CEILING, json(node.post(send, KEY_A, sonya("ceiling", CEILING))).getLong("sequence"));
      assertEquals(CEILING + 1, json(node.post(send, KEY_A, sonya("after", null))).getLong("sequence"));
      assertEquals(200, node.post(queuePath(ACCOUNT_A, queue.id()) + "/messages", KEY_A,
          new JsonObject().put("body", "cf")).statusCode());
      assertEquals(200, node.post("/v1/queues/" + queue.id() + "/messages", KEY_A,
          new JsonObject().put("data", "discue")).statusCode());
      assertEquals(List.of(1L, 2L, CEILING, CEILING + 1, CEILING + 2, CEILING + 3),
          sequences(node.history(queue.id())));
      // A client sequence above the ceiling is refused however far the queue has grown past it.
      assertEquals(400, node.post(send, KEY_A, sonya("late", CEILING + 10)).statusCode());
      assertEquals(CEILING + 3, node.history(queue.id()).headSequence());
    }
  }

  @Test
  void aBatchWhoseSequencesWouldPassTheCeilingIsRefusedWhole() {
    try (TestNode node = TestNode.start(dataDir)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      List<NewMessage> three = List.of(text("a"), text("b"), text("c"));

      var refused = TestNode.failure(node.module.engine().publish(
          new Publication(ACCOUNT_A, queue.id(), null, three, null, CEILING - 1)));
      assertEquals(ErrorCode.INVALID_FIELD, refused.code());
      assertEquals(0, node.history(queue.id()).headSequence());
      assertEquals(0, node.history(queue.id()).messages().size());

      await(node.module.engine().publish(new Publication(ACCOUNT_A, queue.id(), null, three, null, CEILING - 2)));
      assertEquals(List.of(CEILING - 2, CEILING - 1, CEILING), sequences(node.history(queue.id())));
    }
  }

  @Test
  void aDurableAppendIsAnswered200EvenWhenApplyingItInMemoryFails() {
    AtomicReference<GatedStore> gate = new AtomicReference<>();
    String queueId;
    try (TestNode node = TestNode.start(dataDir, dir -> {
      gate.set(new GatedStore(RocksMessageStore.open(dir)));
      return gate.get();
    }, io.ferry.messaging.core.MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES)) {
      QueueInfo queue = node.createPullQueue();
      queueId = queue.id();
      String path = queuePath(ACCOUNT_A, queue.id());
      double failuresBefore = invariantFailures(node);

      // Two pushes whose writes complete in the opposite order: the first becomes durable after the second,
      // so the in-memory log (which takes sequences in order) cannot take it.
      gate.get().hold();
      Future<HttpResponse<Buffer>> first = node.postAsync(path + "/messages", KEY_A,
          textBody("first").toBuffer());
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gate.get().heldCount() == 1);
      Future<HttpResponse<Buffer>> second = node.postAsync(path + "/messages", KEY_A,
          textBody("second").toBuffer());
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gate.get().heldCount() == 2);
      gate.get().releaseNewestFirst();

      assertEquals(200, await(second).statusCode(), await(second).bodyAsString());
      assertEquals(200, await(first).statusCode(), await(first).bodyAsString());
      assertEquals(failuresBefore + 1, invariantFailures(node));

      // The queue stays usable: pushes, pulls and acks go on.
      assertEquals(200, node.post(path + "/messages", KEY_A, textBody("third")).statusCode());
      assertEquals(List.of(1L, 2L, 3L), sequences(node.history(queue.id())));
      JsonArray pulled = json(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
          .getJsonObject("result").getJsonArray("messages");
      assertEquals(List.of("second", "third"), bodies(pulled));
      JsonArray acks = new JsonArray();
      pulled.forEach(m -> acks.add(new JsonObject().put("lease_id", ((JsonObject) m).getString("lease_id"))));
      assertEquals(2, json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks", acks)))
          .getJsonObject("result").getInteger("ackCount"));
    }
    // The message the hot state missed is durable and served after a restart.
    try (TestNode node = TestNode.start(dataDir)) {
      JsonArray pulled = json(node.post(queuePath(ACCOUNT_A, queueId) + "/messages/pull", KEY_A,
          new JsonObject().put("batch_size", 10))).getJsonObject("result").getJsonArray("messages");
      assertEquals(List.of("first"), bodies(pulled));
    }
  }

  static double invariantFailures(TestNode node) {
    for (String line : node.get("/metrics").bodyAsString().split("\n")) {
      if (line.startsWith("ferry_messaging_invariant_failures_total")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no ferry_messaging_invariant_failures_total in /metrics");
  }

  private static JsonObject sonya(String id, Long sequence) {
    JsonObject body = new JsonObject().put("id", id).put("payload", id);
    return sequence == null ? body : body.put("sequence", sequence);
  }

  private static JsonObject textBody(String text) {
    return new JsonObject().put("body", text).put("content_type", "text");
  }

  private static NewMessage text(String body) {
    return new NewMessage(null, ContentType.TEXT, body.getBytes(StandardCharsets.UTF_8), null);
  }

  static List<Long> sequences(HistoryPage page) {
    return page.messages().stream().map(StoredMessage::sequence).toList();
  }

  private static List<String> bodies(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getValue("body").toString()).toList();
  }
}
