package io.ferry.gateway;

import static io.ferry.contracts.testkit.DialectAssertions.assertErrorBody;
import static io.ferry.gateway.TestNode.message;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.gateway.TestNode.Rejection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

class GatewayWebSocketTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void framesCarryIdSequenceAndPayloadForEachContentType() throws Exception {
    String queueId = node.createQueue("shapes");
    TestSocket socket = node.connect("/queue/listen/ws/shapes");
    StoredMessage json = message(queueId, 1, "1", ContentType.JSON, "{\"message\":\"hello\"}");
    StoredMessage text = message(queueId, 2, null, ContentType.TEXT, "plain words");
    StoredMessage bytes = message(queueId, 3, "b", ContentType.BYTES, new byte[] {0, 1, 2, (byte) 255});
    StoredMessage array = message(queueId, 4, "a", ContentType.JSON, "[1,\"two\",null]");
    node.publish(queueId, json, text, bytes);
    node.publish(queueId, array);

    assertEquals(new JsonObject().put("id", "1").put("sequence", 1)
        .put("payload", new JsonObject().put("message", "hello")), socket.next());
    assertEquals(new JsonObject().put("id", text.id()).put("sequence", 2).put("payload", "plain words"),
        socket.next());
    assertEquals(new JsonObject().put("id", "b").put("sequence", 3)
        .put("payload", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255})), socket.next());
    assertEquals(new JsonObject().put("id", "a").put("sequence", 4)
        .put("payload", new JsonArray().add(1).add("two").addNull()), socket.next());
    socket.close();
  }

  @Test
  void idRouteForwardsOnlyThatId() throws Exception {
    String queueId = node.createQueue("keyed");
    TestSocket socket = node.connect("/queue/listen/ws/keyed/user-7");
    node.publish(queueId,
        message(queueId, 1, "user-7", ContentType.TEXT, "a"),
        message(queueId, 2, "user-8", ContentType.TEXT, "b"),
        message(queueId, 3, null, ContentType.TEXT, "c"));
    node.publish(queueId, message(queueId, 4, "user-7", ContentType.TEXT, "d"));

    assertEquals(1, socket.next().getLong("sequence"));
    JsonObject second = socket.next();
    assertEquals(4, second.getLong("sequence"));
    assertEquals("user-7", second.getString("id"));
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  @Test
  void messagePublishedRightAfterTheSocketOpensArrives() throws Exception {
    for (int i = 0; i < 20; i++) {
      String queueId = node.createQueue("fresh-" + i);
      TestSocket socket = node.connect("/queue/listen/ws/fresh-" + i);
      node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "first"));
      assertEquals("first", socket.next().getString("payload"));
      socket.close();
    }
  }

  @Test
  void everySocketOnAQueueReceivesEachMessage() throws Exception {
    String queueId = node.createQueue("fanout");
    awaitNoSubscriptions();
    TestSocket[] sockets = new TestSocket[6];
    for (int i = 0; i < sockets.length; i++) {
      sockets[i] = node.connect("/queue/listen/ws/fanout");
    }
    assertEquals(1, node.module.followedQueueCount(), "one bus consumer for the queue");
    assertEquals(sockets.length, node.module.subscriptionCount());
    node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "x"));
    for (TestSocket socket : sockets) {
      assertEquals(1, socket.next().getLong("sequence"));
      socket.close();
    }
  }

  @Test
  void percentEncodedNameReachesQueueWithSlash() throws Exception {
    String queueId = node.createQueue("team/orders");
    TestSocket socket = node.connect("/queue/listen/ws/team%2Forders");
    node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "slashed"));
    assertEquals("slashed", socket.next().getString("payload"));
    socket.close();
  }

  @Test
  void accessTokenQueryParameterAuthenticates() throws Exception {
    String queueId = node.createQueue("token-auth");
    TestSocket socket = node.connect("/queue/listen/ws/token-auth?access_token=" + TestNode.KEY, null);
    node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "ok"));
    assertEquals("ok", socket.next().getString("payload"));
    socket.close();
  }

  @Test
  void missingCredentialIs401InSonyaFormatBeforeUpgrade() throws Exception {
    node.createQueue("guarded");
    Rejection rejection = node.reject("/queue/listen/ws/guarded", null);
    assertErrorBody(rejection.status(), rejection.body(), Dialect.SONYA, ErrorCode.UNAUTHENTICATED, "");
  }

  @Test
  void wrongCredentialIs401() throws Exception {
    Rejection rejection = node.reject("/queue/listen/ws/guarded/1", "nope");
    assertErrorBody(rejection.status(), rejection.body(), Dialect.SONYA, ErrorCode.UNAUTHENTICATED, "");
  }

  @Test
  void unknownQueueIs404InSonyaFormatBeforeUpgrade() throws Exception {
    Rejection rejection = node.reject("/queue/listen/ws/no-such-queue", TestNode.KEY);
    assertErrorBody(rejection.status(), rejection.body(), Dialect.SONYA, ErrorCode.QUEUE_NOT_FOUND, "no-such-queue");

    assertEquals(404, node.reject("/queue/listen/ws/no-such-queue/7", TestNode.KEY).status());
  }

  @Test
  void invalidSequenceIs400NamingTheField() throws Exception {
    node.createQueue("seq-check");
    for (String bad : new String[] {"abc", "-1", "", "1.5", "99999999999999999999", "FIRST"}) {
      Rejection rejection = node.reject("/queue/listen/ws/seq-check?sequence=" + bad, TestNode.KEY);
      assertErrorBody(rejection.status(), rejection.body(), Dialect.SONYA, ErrorCode.INVALID_FIELD, "");
      assertTrue(rejection.body().getString("message").startsWith("sequence:"), rejection.body().encode());
    }
  }

  @Test
  void invalidQueueNameIs400() throws Exception {
    Rejection rejection = node.reject("/queue/listen/ws/bad%20name", TestNode.KEY);
    assertErrorBody(rejection.status(), rejection.body(), Dialect.SONYA, ErrorCode.INVALID_FIELD, "");
    assertTrue(rejection.body().getString("message").startsWith("queue:"));
  }

  @Test
  void plainGetWithoutUpgradeIs400() throws Exception {
    node.createQueue("no-upgrade");
    for (int i = 0; i < 3; i++) {
      // Several on one kept-alive connection: a refused request must not leave the connection stuck.
      Rejection rejection = node.plainGet("/queue/listen/ws/no-upgrade");
      assertErrorBody(rejection.status(), rejection.body(), Dialect.SONYA, ErrorCode.INVALID_FIELD, "");
      assertTrue(rejection.body().getString("message").startsWith("Upgrade:"));
    }
  }

  @Test
  void handshakeNettyCouldNotCompleteIs400InSonyaFormat() throws Exception {
    node.createQueue("bad-handshake");
    for (String headers : new String[] {"Sec-WebSocket-Version: 13\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"}) {
      try (java.net.Socket raw = new java.net.Socket("127.0.0.1", node.node.httpPort())) {
        raw.setSoTimeout(10_000);
        raw.getOutputStream().write(("GET /queue/listen/ws/bad-handshake HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n" + headers + "X-API-KEY: " + TestNode.KEY
            + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String reply = readResponse(raw.getInputStream());
        assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
        JsonObject body = new JsonObject(reply.substring(reply.indexOf("\r\n\r\n") + 4));
        assertErrorBody(400, body, Dialect.SONYA, ErrorCode.INVALID_FIELD, "");
        assertTrue(body.getString("message").startsWith("Sec-WebSocket-"), reply);
      }
    }
    awaitNoSubscriptions();
  }

  @Test
  void feedConsumerGoesWhenTheLastSocketCloses() throws Exception {
    String queueId = node.createQueue("leaving");
    assertFalse(node.hasFeedConsumer(queueId));
    TestSocket first = node.connect("/queue/listen/ws/leaving");
    TestSocket second = node.connect("/queue/listen/ws/leaving/only-this");
    assertTrue(node.hasFeedConsumer(queueId));

    first.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.subscriptionCount() == 1);
    assertTrue(node.hasFeedConsumer(queueId), "one socket still follows the queue");

    second.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !node.hasFeedConsumer(queueId));
  }

  @Test
  void openApiDocumentsEveryGatewayRouteAsDeclared() throws Exception {
    Map<String, Object> served = new Yaml().load(node.get("/openapi.yaml").toString());
    JsonObject document = new JsonObject(new JsonObject(served).encode());
    JsonObject declared;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi/gateway.json")) {
      declared = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    assertEquals("3.0.3", document.getString("openapi"));
    JsonObject paths = document.getJsonObject("paths");
    assertTrue(paths.containsKey("/queue/listen/ws/{queue}/{id}"), paths.fieldNames()::toString);
    for (String path : declared.getJsonObject("paths").fieldNames()) {
      assertEquals(declared.getJsonObject("paths").getJsonObject(path), paths.getJsonObject(path), path);
    }
  }

  // Head and Content-Length body of one response on a connection the server keeps open.
  private static String readResponse(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return head + new String(in.readNBytes(bodyLength), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void awaitNoSubscriptions() {
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.subscriptionCount() == 0);
  }
}
