package io.ferry.messaging;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.TopologySnapshot;
import io.ferry.messaging.core.FaultyMessageStore;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.store.RocksMessageStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the message store is away, readiness reports the store down and requests are answered 503 with
 * Retry-After in their dialect's format; once it is back, readiness and service return by themselves and the
 * topology is reconciled with admin again. While messaging reloads its state after a commit of unknown outcome,
 * readiness is down even though the store answers.
 */
class StoreOutageTest {

  @TempDir
  Path dataDir;

  @Test
  void readinessAndRequestsFollowTheStore() {
    AtomicReference<FaultyMessageStore> store = new AtomicReference<>();
    try (TestNode node = TestNode.start(dataDir, dir -> {
      store.set(new FaultyMessageStore(RocksMessageStore.open(dir)));
      return store.get();
    }, MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      String path = queuePath(ACCOUNT_A, queue.id());
      AtomicInteger snapshots = new AtomicInteger();
      await(Bus.serve(node.vertx, Addresses.TOPOLOGY_SNAPSHOT, ignored -> {
        snapshots.incrementAndGet();
        return Future.succeededFuture(new TopologySnapshot(List.of(queue), List.of()));
      }));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> snapshots.get() == 1);
      assertEquals(200, push(node, path, "before").statusCode());
      assertEquals("UP", storeCheck(node));

      store.get().goDown();
      assertEquals("DOWN", storeCheck(node));
      assertError(push(node, path, "during"), Dialect.CLOUDFLARE, ErrorCode.UNAVAILABLE);
      // The failed commit stopped the engine: even requests that need no store wait for it to reload.
      assertError(node.get("/v1/queues/" + queue.id() + "/messages", KEY_A), Dialect.DISCUE, ErrorCode.UNAVAILABLE);

      store.get().comeBack();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/health/ready").statusCode() == 200);
      // Topology changes refused meanwhile are caught up from admin.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> snapshots.get() >= 2);
      assertEquals(200, push(node, path, "after").statusCode());
      JsonArray listed = json(node.get("/v1/queues/" + queue.id() + "/messages", KEY_A)).getJsonArray("messages");
      assertEquals(2, listed.size(), listed.encode());
    }
  }

  @Test
  void readinessIsDownWhileMessagingReloadsItsStateAndUpOnlyOnceRequestsSucceedAgain() {
    AtomicReference<FaultyMessageStore> store = new AtomicReference<>();
    try (TestNode node = TestNode.start(dataDir, dir -> {
      store.set(new FaultyMessageStore(RocksMessageStore.open(dir)));
      return store.get();
    }, MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES)) {
      QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
      String path = queuePath(ACCOUNT_A, queue.id());
      await(Bus.serve(node.vertx, Addresses.TOPOLOGY_SNAPSHOT,
          ignored -> Future.succeededFuture(new TopologySnapshot(List.of(queue), List.of()))));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/health/ready").statusCode() == 200);
      assertEquals(200, push(node, path, "before").statusCode());

      // A commit whose answer is lost: the store still answers, but messaging reloads its state from it.
      store.get().holdLoads();
      store.get().loseAnswers(1);
      assertError(push(node, path, "unknown outcome"), Dialect.CLOUDFLARE, ErrorCode.OUTCOME_UNKNOWN);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> store.get().heldLoads() == 1);
      HttpResponse<Buffer> reloading = node.get("/health/ready");
      assertEquals(503, reloading.statusCode(), reloading.bodyAsString());
      assertEquals("UP", check(reloading, "message-store"));
      assertEquals("DOWN", check(reloading, "messaging-engine"));
      assertError(push(node, path, "during"), Dialect.CLOUDFLARE, ErrorCode.UNAVAILABLE);

      store.get().releaseLoads();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/health/ready").statusCode() == 200);
      assertEquals(200, push(node, path, "after").statusCode());
    }
  }

  private static String check(HttpResponse<Buffer> ready, String id) {
    for (Object check : new JsonObject(ready.bodyAsString()).getJsonArray("checks", new JsonArray())) {
      JsonObject entry = (JsonObject) check;
      if (id.equals(entry.getString("id"))) {
        return entry.getString("status");
      }
    }
    throw new AssertionError("no " + id + " check in " + ready.bodyAsString());
  }

  private static HttpResponse<Buffer> push(TestNode node, String path, String body) {
    return node.post(path + "/messages", KEY_A, new JsonObject().put("body", body).put("content_type", "text"));
  }

  private static String storeCheck(TestNode node) {
    JsonObject ready = new JsonObject(node.get("/health/ready").bodyAsString());
    for (Object check : ready.getJsonArray("checks", new JsonArray())) {
      JsonObject entry = (JsonObject) check;
      if ("message-store".equals(entry.getString("id"))) {
        return entry.getString("status");
      }
    }
    throw new AssertionError("no message-store check in " + ready.encode());
  }
}
