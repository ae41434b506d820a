package io.ferry.gateway;

import static io.ferry.gateway.TestNode.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeepAliveTest {

  private static final int PING_INTERVAL_MS = 500;
  private static final int IDLE_TIMEOUT_MS = 150;
  // An HTTP idle timeout well below the ping interval: WebSockets answer to the ping rule, not to it.
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("gateway.ping-interval-ms", Integer.toString(PING_INTERVAL_MS),
      "http.idle-timeout-ms", Integer.toString(IDLE_TIMEOUT_MS)));

  @Test
  void clientThatAnswersPingsStaysOpen() throws Exception {
    String queueId = node.createQueue("alive");
    TestSocket socket = node.connect("/queue/listen/ws/alive");
    Thread.sleep(PING_INTERVAL_MS * 5L);
    assertFalse(socket.closeStatus.isDone(), "a client that answers pings is kept, however short the idle timeout");
    node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "still here"));
    assertEquals("still here", socket.next().getString("payload"));
    socket.close();
  }

  @Test
  void clientThatNeverAnswersIsPingedThenClosed() throws Exception {
    node.createQueue("silent");
    try (Socket raw = new Socket("127.0.0.1", node.node.httpPort())) {
      // Generous: on a busy machine the first upgrade of a fresh JVM can take seconds.
      raw.setSoTimeout(15_000);
      OutputStream out = raw.getOutputStream();
      out.write(("GET /queue/listen/ws/silent HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "X-API-KEY: " + TestNode.KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      DataInputStream in = new DataInputStream(raw.getInputStream());
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      long opened = System.currentTimeMillis();

      int pings = 0;
      int closeCode = -1;
      while (closeCode < 0) {
        int opcode = in.readUnsignedByte() & 0x0F;
        byte[] payload = new byte[in.readUnsignedByte() & 0x7F];
        in.readFully(payload);
        if (opcode == 0x9) {
          pings++;
        } else if (opcode == 0x8) {
          closeCode = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
      }
      long closedAfter = System.currentTimeMillis() - opened;
      assertTrue(pings >= 1, "pinged before being closed");
      assertEquals(1001, closeCode);
      // Pinged at one tick, closed at the next: about two intervals after the upgrade.
      assertTrue(closedAfter < PING_INTERVAL_MS * 2L + 5_000, "closed after " + closedAfter + " ms");
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
