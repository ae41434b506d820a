package io.ferry.messaging;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.testkit.Futures;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.ShardMap;
import io.ferry.messaging.store.ForwardingMessageStore;
import io.ferry.messaging.store.RocksMessageStore;
import io.ferry.messaging.store.ShardOwnership;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request for a queue whose shard no messaging instance serves (it is changing hands) waits
 * {@code messaging.forward-wait-ms} for an owner, then is answered 503 with Retry-After in the dialect's
 * format (it surely did not run), while queues of the shards this instance serves answer as usual. A request
 * handed to an owner that never answers may have been applied: 504, without Retry-After, in the dialect's
 * format.
 */
class UnownedShardTest {

  private static final int UNOWNED = 0;

  @TempDir
  Path dataDir;

  @Test
  void aQueueOnAShardNobodyServesIsAnswered503WithRetryAfter() {
    try (TestNode node = TestNode.start(dataDir, dir -> new ForwardingMessageStore(RocksMessageStore.open(dir)) {
      @Override
      public ShardOwnership shardOwnership(int shards) {
        return allBut(UNOWNED, shards);
      }
    }, MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES)) {
      // Its id drawn off the unowned shard first: creating a queue there would itself wait and fail.
      String servedId = Ids.newId();
      while (new ShardMap(64).shardOf(servedId) == UNOWNED) {
        servedId = Ids.newId();
      }
      QueueInfo served = node.upsertQueue(new QueueInfo(servedId, ACCOUNT_A, "served", 1, 1, QueueSettings.DEFAULTS));
      String unserved = Ids.newId();
      while (new ShardMap(64).shardOf(unserved) != UNOWNED) {
        unserved = Ids.newId();
      }

      assertEquals(200, node.post(queuePath(ACCOUNT_A, served.id()) + "/messages", KEY_A, text("kept")).statusCode());
      assertError(node.post(queuePath(ACCOUNT_A, unserved) + "/messages", KEY_A, text("waits")),
          Dialect.CLOUDFLARE, ErrorCode.UNAVAILABLE);
      assertError(node.get("/v1/queues/" + unserved + "/messages", KEY_A), Dialect.DISCUE, ErrorCode.UNAVAILABLE);
    }
  }

  @Test
  void aRequestItsShardsOwnerReceivesButNeverAnswersIsAnswered504WithoutRetryAfter() {
    try (TestNode node = TestNode.start(dataDir, dir -> new ForwardingMessageStore(RocksMessageStore.open(dir)) {
      @Override
      public ShardOwnership shardOwnership(int shards) {
        return allBut(UNOWNED, shards);
      }
    }, MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES)) {
      String inDoubt = Ids.newId();
      while (new ShardMap(64).shardOf(inDoubt) != UNOWNED) {
        inDoubt = Ids.newId();
      }
      QueueInfo queue = new QueueInfo(inDoubt, ACCOUNT_A, "in-doubt", 1, 1, QueueSettings.DEFAULTS);
      // The owner of the shard, elsewhere: it takes every call and answers none (it stalls, or dies, after
      // applying it, or before: the sender cannot tell).
      AtomicInteger received = new AtomicInteger();
      Futures.await(node.vertx.eventBus().consumer(Endpoints.messagingShard(UNOWNED).address(),
          message -> received.incrementAndGet()).completion(), Duration.ofSeconds(10));
      // Admin, which knows every queue by name (the Sonya dialect addresses queues by name).
      Futures.await(Bus.serve(node.vertx, Endpoints.QUEUE_LOOKUP, lookup -> Future.succeededFuture(queue)),
          Duration.ofSeconds(10));

      HttpResponse<Buffer> cloudflare = node.post(queuePath(ACCOUNT_A, inDoubt) + "/messages/batch", KEY_A,
          new JsonObject().put("messages", new JsonArray().add(text("a")).add(text("b"))));
      assertEquals(504, cloudflare.statusCode(), cloudflare.bodyAsString());
      assertError(cloudflare, Dialect.CLOUDFLARE, ErrorCode.OUTCOME_UNKNOWN, "may or may not have been applied");
      assertError(node.get("/v1/queues/" + inDoubt + "/messages", KEY_A), Dialect.DISCUE,
          ErrorCode.OUTCOME_UNKNOWN, "may or may not have been applied");
      assertError(node.post("/queue/send/in-doubt", KEY_A, new JsonObject().put("id", "m-1").put("payload", "x")),
          Dialect.SONYA, ErrorCode.OUTCOME_UNKNOWN, "may or may not have been applied");
      assertEquals(3, received.get(), "each request was handed over once, never sent again");
    }
  }

  private static JsonObject text(String body) {
    return new JsonObject().put("body", body).put("content_type", "text");
  }

  private static ShardOwnership allBut(int unowned, int shards) {
    Set<Integer> owned = new TreeSet<>();
    for (int s = 0; s < shards; s++) {
      if (s != unowned) {
        owned.add(s);
      }
    }
    return new ShardOwnership() {
      @Override
      public Future<Void> start(Listener listener) {
        listener.gained(owned);
        return Future.succeededFuture();
      }

      @Override
      public boolean owns(int shard) {
        return owned.contains(shard);
      }

      @Override
      public Future<Void> release(int shard) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> stop() {
        return Future.succeededFuture();
      }
    };
  }
}
