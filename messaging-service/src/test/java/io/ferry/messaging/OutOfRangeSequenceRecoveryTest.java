package io.ferry.messaging;

import static io.ferry.messaging.SequenceCeilingTest.sequences;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.RocksMessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written before client sequences were bounded: a Sonya sequence of Long.MAX_VALUE, then appends
 * that wrapped negative. Such a queue starts again and takes pushes in every dialect.
 */
class OutOfRangeSequenceRecoveryTest {

  @TempDir
  Path dataDir;

  private final QueueInfo bricked = queue("bricked");
  private final QueueInfo headOnly = queue("head-only");
  private final SubscriptionSpec consumer = new SubscriptionSpec(Ids.newId(), bricked.id(),
      SubscriptionSpec.Kind.PULL_CONSUMER, 10, 3, 0, 30_000, null);

  @Test
  void aQueueHoldingSequencesOutOfRangeIsRenumberedOnStartAndTakesPushesAgain() {
    writeStateLeftByUncheckedSequences();

    try (TestNode node = TestNode.start(dataDir)) {
      // The messages follow the highest valid sequence, in the order they were written, with their bodies.
      List<StoredMessage> history = node.history(bricked.id()).messages();
      assertEquals(List.of(1L, 2L, 3L, 4L), history.stream().map(StoredMessage::sequence).toList());
      assertEquals(List.of("one", "max", "wrapped-1", "wrapped-2"), history.stream().map(StoredMessage::key).toList());
      assertEquals("max", new String(history.get(1).body(), StandardCharsets.UTF_8));
      // Their new ids locate them, and each is still pending for the consumer.
      assertEquals(200, node.get("/v1/queues/" + bricked.id() + "/messages/" + history.get(3).id(), KEY_A)
          .statusCode());
      String path = queuePath(ACCOUNT_A, bricked.id());
      JsonArray pulled = json(node.post(path + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
          .getJsonObject("result").getJsonArray("messages");
      assertEquals(4, pulled.size());
      JsonArray acks = new JsonArray();
      pulled.forEach(m -> acks.add(new JsonObject().put("lease_id", ((JsonObject) m).getString("lease_id"))));
      assertEquals(4, json(node.post(path + "/messages/ack", KEY_A, new JsonObject().put("acks", acks)))
          .getJsonObject("result").getInteger("ackCount"));

      // Pushes work again in every dialect, client sequences included.
      String send = "/queue/send/" + bricked.name();
      assertEquals(5, json(node.post(send, KEY_A, new JsonObject().put("id", "s").put("payload", 1)))
          .getLong("sequence"));
      assertEquals(10, json(node.post(send, KEY_A, new JsonObject().put("id", "s").put("payload", 2)
          .put("sequence", 10))).getLong("sequence"));
      assertEquals(200, node.post(path + "/messages", KEY_A, new JsonObject().put("body", "cf")).statusCode());
      assertEquals(200, node.post("/v1/queues/" + bricked.id() + "/messages", KEY_A,
          new JsonObject().put("data", "discue")).statusCode());
      // Acked messages stay history until retention removes them (acks settle delivery, not the log).
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 10L, 11L, 12L), sequences(node.history(bricked.id())));

      // A head left out of range with its message gone: the queue continues after what it holds.
      assertEquals(4, json(node.post("/queue/send/" + headOnly.name(), KEY_A,
          new JsonObject().put("id", "h").put("payload", 1))).getLong("sequence"));
    }

    // The repair was durable: nothing moves at the next start and pushes continue where they were.
    try (TestNode node = TestNode.start(dataDir)) {
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 10L, 11L, 12L), sequences(node.history(bricked.id())));
      assertEquals(13, json(node.post("/queue/send/" + bricked.name(), KEY_A,
          new JsonObject().put("id", "s").put("payload", 3))).getLong("sequence"));
      assertEquals(List.of(3L, 4L), sequences(node.history(headOnly.id())));
    }
  }

  // What the unchecked code wrote: sequence 1, a client's Long.MAX_VALUE, then two appends that wrapped to
  // Long.MIN_VALUE and beyond (each also raising the stored head, so it ends negative); and a queue whose
  // Long.MAX_VALUE message was deleted, leaving only its head out of range.
  private void writeStateLeftByUncheckedSequences() {
    MessageStore store = RocksMessageStore.open(dataDir.resolve("messaging"));
    try {
      StoreBatch batch = new StoreBatch().putQueue(bricked).putQueue(headOnly).putSubscription(consumer);
      appendWithPending(batch, bricked, 1, "one");
      appendWithPending(batch, bricked, Long.MAX_VALUE, "max");
      appendWithPending(batch, bricked, Long.MIN_VALUE, "wrapped-1");
      appendWithPending(batch, bricked, Long.MIN_VALUE + 1, "wrapped-2");
      batch.append(message(headOnly, 3, "three"));
      batch.append(message(headOnly, Long.MAX_VALUE, "gone")).deleteMessage(headOnly.id(), Long.MAX_VALUE);
      await(store.commit(batch));
    } finally {
      await(store.close());
    }
  }

  private void appendWithPending(StoreBatch batch, QueueInfo queue, long sequence, String key) {
    batch.append(message(queue, sequence, key)).putPending(consumer.id(), sequence, 0, 0);
  }

  private static StoredMessage message(QueueInfo queue, long sequence, String key) {
    long now = System.currentTimeMillis();
    return new StoredMessage(Ids.newId(), queue.id(), sequence, key, ContentType.TEXT,
        key.getBytes(StandardCharsets.UTF_8), now, now);
  }

  private static QueueInfo queue(String name) {
    return new QueueInfo(Ids.newId(), ACCOUNT_A, name, 1, 1, QueueSettings.DEFAULTS);
  }
}
