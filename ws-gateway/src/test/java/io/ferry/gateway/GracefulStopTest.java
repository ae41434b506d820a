package io.ferry.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GracefulStopTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void readyWhileRunningAndStopClosesEverySocketWith1001AndAnswersWaitingPolls() throws Exception {
    JsonObject ready = node.get("/health/ready").toJsonObject();
    assertEquals("UP", ready.getString("status"), ready.encode());
    assertTrue(ready.encode().contains("live-feeds"), ready.encode());

    node.createQueue("a");
    node.createQueue("b");
    TestSocket first = node.connect("/queue/listen/ws/a");
    TestSocket second = node.connect("/queue/listen/ws/b/some-id");
    TestSocket third = node.connect("/queue/listen/ws/a?sequence=last");
    CompletableFuture<TestNode.Reply> waitingPoll = CompletableFuture.supplyAsync(() -> {
      try {
        return node.poll("/queue/listen/longpoll/b?timeout_ms=20000", TestNode.KEY);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.subscriptionCount() == 4);

    long started = System.currentTimeMillis();
    node.stopNode();
    long took = System.currentTimeMillis() - started;

    assertEquals(1001, first.awaitClose());
    assertEquals(1001, second.awaitClose());
    assertEquals(1001, third.awaitClose());
    TestNode.Reply polled = waitingPoll.get(5, TimeUnit.SECONDS);
    assertEquals(200, polled.status());
    assertEquals(new JsonArray(), polled.array());
    assertTrue(took < 5_000, "stop took " + took + " ms");
  }
}
