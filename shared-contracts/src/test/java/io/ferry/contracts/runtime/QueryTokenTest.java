package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A credential in the URL ({@code ?access_token=}) ends up in access logs and proxies' URLs: it is accepted
 * only on the listen routes, whose WebSocket and long-poll clients cannot always set headers, and refused
 * with 401 everywhere else, naming the headers to use instead.
 */
class QueryTokenTest {

  private static FerryNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TinyModule.start(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    TinyModule.stop(node);
  }

  @Test
  void aQueryTokenIsRefusedOutsideTheListenRoutes() throws Exception {
    for (String target : List.of("/v1/things/a?access_token=" + TinyModule.KEY,
        "/queue/listen/../../v1/things/a?access_token=" + TinyModule.KEY)) {
      try (RawSocket socket = new RawSocket(node.httpPort())) {
        String reply = socket.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
        assertTrue(reply.startsWith("HTTP/1.1 401"), reply);
        assertTrue(reply.contains("send the credential in the Authorization: Bearer or X-API-KEY header"), reply);
      }
    }
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      // A header does not make a key in the URL acceptable: it is in the access log all the same.
      String reply = socket.send("GET /queue/things/a?access_token=" + TinyModule.KEY + " HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + TinyModule.KEY + "\r\n\r\n").readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 401"), reply);
      assertEquals("unauthenticated", new JsonObject(reply.substring(reply.indexOf("\r\n\r\n") + 4)).getString("code"));
    }
  }

  @Test
  void aQueryTokenIsAcceptedOnTheLongPollAndWebSocketRoutes() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send("GET /queue/listen/longpoll/q?access_token=" + TinyModule.KEY + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 200") && reply.contains("\"polled\":\"q\""), reply);
    }
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send("GET /queue/listen/ws/q?access_token=" + TinyModule.KEY + " HTTP/1.1\r\nHost: x\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 101"), reply);
    }
  }

}
