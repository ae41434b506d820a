package io.ferry.messaging;

import static io.ferry.contracts.error.Dialect.CLOUDFLARE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.messaging.store.RocksMessageStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the appends waiting for the store exceed the bound, producers fail fast with QUEUE_OVERLOADED in
 * their dialect and nothing is stored for them; acks and pulls still work; producing resumes once the store
 * catches up.
 */
class OverloadTest {

  // Smaller than one message's accounted size: one append may wait, the next is refused.
  private static final long TINY_BOUND = 64;

  @TempDir
  Path dataDir;

  @Test
  void pushesFailFastWhileTheWriterIsBehindAndResumeAfterwards() {
    AtomicReference<GatedStore> gate = new AtomicReference<>();
    try (TestNode node = TestNode.start(dataDir, dir -> {
      gate.set(new GatedStore(RocksMessageStore.open(dir)));
      return gate.get();
    }, TINY_BOUND)) {
      QueueInfo queue = node.createPullQueue();
      String path = queuePath(ACCOUNT_A, queue.id());
      assertEquals(200, node.post(path + "/messages", KEY_A, new JsonObject().put("body", "acked")).statusCode());
      String lease = json(node.post(path + "/messages/pull", KEY_A, new JsonObject())).getJsonObject("result")
          .getJsonArray("messages").getJsonObject(0).getString("lease_id");

      gate.get().hold();
      Future<HttpResponse<Buffer>> waiting = node.postAsync(path + "/messages", KEY_A,
          new JsonObject().put("body", "waits").toBuffer());
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gate.get().heldCount() == 1);

      assertError(node.post(path + "/messages", KEY_A, new JsonObject().put("body", "refused")),
          CLOUDFLARE, ErrorCode.QUEUE_OVERLOADED);
      assertError(node.post(path + "/messages/batch", KEY_A, new JsonObject().put("messages",
          new JsonArray().add(new JsonObject().put("body", 1)))), CLOUDFLARE, ErrorCode.QUEUE_OVERLOADED);
      HttpResponse<Buffer> sonya = node.post("/queue/send/" + queue.name(), KEY_A,
          new JsonObject().put("id", "x").put("payload", 1));
      assertEquals(429, sonya.statusCode());
      assertEquals("queue_overloaded", json(sonya).getString("code"));
      HttpResponse<Buffer> discue = node.post("/v1/queues/" + queue.id() + "/messages", KEY_A,
          new JsonObject().put("data", "x"));
      assertEquals(429, discue.statusCode());
      assertTrue(discue.getHeader("Content-Type").startsWith("application/problem+json"));
      // Consumers are not refused: their writes free the queue.
      JsonObject acked = json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks",
          new JsonArray().add(new JsonObject().put("lease_id", lease))))).getJsonObject("result");
      assertEquals(1, acked.getInteger("ackCount"));
      assertFalse(waiting.isComplete(), "the held push is not answered before it is durable");

      gate.get().release();
      assertEquals(200, await(waiting).statusCode());
      assertEquals(200, node.post(path + "/messages", KEY_A, new JsonObject().put("body", "after")).statusCode());
      // Exactly the accepted pushes are stored, with gap-free sequences: refused ones changed nothing.
      assertEquals(3, node.history(queue.id()).headSequence());
      // The acked first push stays as history (retention removes it), so all three accepted ones are there.
      assertEquals(List.of(1L, 2L, 3L), node.history(queue.id()).messages().stream()
          .map(io.ferry.contracts.model.StoredMessage::sequence).toList());
    }
  }
}
