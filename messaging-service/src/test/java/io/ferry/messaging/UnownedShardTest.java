package io.ferry.messaging;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.ShardMap;
import io.ferry.messaging.store.ForwardingMessageStore;
import io.ferry.messaging.store.RocksMessageStore;
import io.ferry.messaging.store.ShardOwnership;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request for a queue whose shard no messaging instance serves (it is changing hands) waits
 * {@code messaging.forward-wait-ms} for an owner, then is answered 503 with Retry-After in the dialect's
 * format, while queues of the shards this instance serves answer as usual.
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
      QueueInfo served = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      while (new ShardMap(64).shardOf(served.id()) == UNOWNED) {
        served = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      }
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
