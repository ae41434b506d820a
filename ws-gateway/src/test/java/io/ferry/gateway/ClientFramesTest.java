package io.ferry.gateway;

import static io.ferry.gateway.TestNode.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.ContentType;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a subscriber sends is dropped, but a frame that breaks RFC 6455 closes its socket. */
class ClientFramesTest {

  private static final byte[] NOT_UTF8 = {'a', (byte) 0xC3, '('};
  // "€" is E2 82 AC: split across two fragments it is still valid text.
  private static final byte[] EURO_HEAD = {(byte) 0xE2, (byte) 0x82};
  private static final byte[] EURO_TAIL = {(byte) 0xAC};
  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void textFrameWithRsv1WithoutNegotiatedExtensionClosesWith1002() throws Exception {
    node.createQueue("rsv1");
    try (RawWebSocket socket = RawWebSocket.open(node.node.httpPort(), "/queue/listen/ws/rsv1", TestNode.KEY)) {
      socket.send(RawWebSocket.TEXT, true, 0b100, "hello".getBytes(StandardCharsets.UTF_8));
      assertEquals(1002, socket.awaitCloseCode());
    }
  }

  @Test
  void binaryFrameWithRsv2Or3ClosesWith1002() throws Exception {
    node.createQueue("rsv23");
    for (int rsv : new int[] {0b010, 0b001}) {
      try (RawWebSocket socket = RawWebSocket.open(node.node.httpPort(), "/queue/listen/ws/rsv23", TestNode.KEY)) {
        socket.send(RawWebSocket.BINARY, true, rsv, new byte[] {1, 2, 3});
        assertEquals(1002, socket.awaitCloseCode(), "rsv " + rsv);
      }
    }
  }

  @Test
  void textFrameThatIsNotUtf8ClosesWith1007() throws Exception {
    node.createQueue("bad-utf8");
    try (RawWebSocket socket = RawWebSocket.open(node.node.httpPort(), "/queue/listen/ws/bad-utf8", TestNode.KEY)) {
      socket.send(RawWebSocket.TEXT, true, 0, NOT_UTF8);
      assertEquals(1007, socket.awaitCloseCode());
    }
  }

  @Test
  void textMessageWhoseFragmentsDoNotJoinIntoUtf8ClosesWith1007() throws Exception {
    node.createQueue("bad-fragments");
    try (RawWebSocket socket = RawWebSocket.open(node.node.httpPort(), "/queue/listen/ws/bad-fragments",
        TestNode.KEY)) {
      socket.send(RawWebSocket.TEXT, false, 0, EURO_HEAD);
      socket.send(RawWebSocket.CONTINUATION, true, 0, new byte[] {'('});
      assertEquals(1007, socket.awaitCloseCode());
    }
  }

  @Test
  void textMessageTruncatedInsideACharacterClosesWith1007() throws Exception {
    node.createQueue("truncated-utf8");
    try (RawWebSocket socket = RawWebSocket.open(node.node.httpPort(), "/queue/listen/ws/truncated-utf8",
        TestNode.KEY)) {
      socket.send(RawWebSocket.TEXT, true, 0, EURO_HEAD);
      assertEquals(1007, socket.awaitCloseCode());
    }
  }

  @Test
  void validTextAndBinaryAreDroppedAndTheSubscriptionGoesOn() throws Exception {
    String queueId = node.createQueue("chatty");
    try (RawWebSocket socket = RawWebSocket.open(node.node.httpPort(), "/queue/listen/ws/chatty", TestNode.KEY)) {
      socket.send(RawWebSocket.TEXT, false, 0, EURO_HEAD);
      socket.send(RawWebSocket.CONTINUATION, true, 0, EURO_TAIL);
      socket.send(RawWebSocket.BINARY, true, 0, new byte[] {(byte) 0xC3, '('});
      socket.send(RawWebSocket.TEXT, true, 0, "ünïcödé".getBytes(StandardCharsets.UTF_8));
      node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "still here"));
      RawWebSocket.Frame frame = socket.read();
      assertEquals(RawWebSocket.TEXT, frame.opcode());
      assertEquals("still here", new JsonObject(frame.text()).getString("payload"));
    }
  }
}
