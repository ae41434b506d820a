package io.ferry.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.gateway.core.SocketLimits;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GracefulStopTest {

  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(SocketLimits.DEFAULTS);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void readyWhileRunningAndStopClosesEverySocketWith1001() throws Exception {
    JsonObject ready = node.get("/health/ready").toJsonObject();
    assertEquals("UP", ready.getString("status"), ready.encode());
    assertTrue(ready.encode().contains("live-feeds"), ready.encode());

    node.createQueue("a");
    node.createQueue("b");
    TestSocket first = node.connect("/queue/listen/ws/a");
    TestSocket second = node.connect("/queue/listen/ws/b/some-id");
    TestSocket third = node.connect("/queue/listen/ws/a?sequence=last");

    long started = System.currentTimeMillis();
    node.stopNode();
    long took = System.currentTimeMillis() - started;

    assertEquals(1001, first.awaitClose());
    assertEquals(1001, second.awaitClose());
    assertEquals(1001, third.awaitClose());
    assertTrue(took < 5_000, "stop took " + took + " ms");
  }
}
