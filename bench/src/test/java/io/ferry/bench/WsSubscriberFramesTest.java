package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The subscriber's own WebSocket reading, fed bytes as a server would send them, split anywhere: the upgrade
 * answer is checked, text frames of every length encoding are counted and checked for order and duplicates,
 * pings are answered with masked pongs, and a close frame's code and reason are kept.
 */
class WsSubscriberFramesTest {

  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private final WsSubscriber subscriber = new WsSubscriber();
  private final CompletableFuture<WsSubscriber> opened = new CompletableFuture<>();
  private final EmbeddedChannel channel = new EmbeddedChannel(
      subscriber.new Frames("GET /queue/listen/ws/q HTTP/1.1\r\n\r\n", WsSubscriber.acceptFor(KEY), opened));

  @Test
  void theAcceptKeyIsRfc6455s() {
    // The example of RFC 6455, section 1.3.
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WsSubscriber.acceptFor(KEY));
  }

  @Test
  void framesSplitAnywhereAreEachCountedOnce() throws Exception {
    ByteBuf request = channel.readOutbound();
    assertTrue(request.toString(StandardCharsets.US_ASCII).startsWith("GET /queue/listen/ws/q "));
    ByteArrayOutputStream server = new ByteArrayOutputStream();
    server.writeBytes(upgrade(WsSubscriber.acceptFor(KEY)));
    server.writeBytes(text(message(1, 0, 10)));
    server.writeBytes(text(message(2, 1, 11) + " ".repeat(200)));
    server.writeBytes(text(message(3, 2, 12) + " ".repeat(70_000)));
    server.writeBytes(text(message(4, 1, 13)));
    server.writeBytes(text(message(4, 3, 14)));
    byte[] bytes = server.toByteArray();
    for (int at = 0; at < bytes.length; at += 7) {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(7, bytes.length - at)));
    }
    assertSame(subscriber, opened.getNow(null));
    assertTrue(subscriber.isOpen());
    assertEquals(5, subscriber.received());
    assertEquals(4, subscriber.distinct());
    assertEquals(1, subscriber.duplicates());
    assertEquals(1, subscriber.outOfOrder());
  }

  @Test
  void aPingIsAnsweredWithAMaskedPongOfItsPayload() {
    channel.readOutbound();
    channel.writeInbound(Unpooled.wrappedBuffer(upgrade(WsSubscriber.acceptFor(KEY))));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x89, 3, 'a', 'b', 'c'}));
    ByteBuf pong = channel.readOutbound();
    assertEquals(0x8A, pong.readUnsignedByte());
    assertEquals(0x80 | 3, pong.readUnsignedByte());
    byte[] mask = new byte[4];
    pong.readBytes(mask);
    byte[] payload = new byte[3];
    for (int i = 0; i < 3; i++) {
      payload[i] = (byte) (pong.readByte() ^ mask[i]);
    }
    assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), payload);
  }

  @Test
  void aCloseFrameKeepsItsCodeAndReasonAndEndsTheConnection() {
    channel.readOutbound();
    channel.writeInbound(Unpooled.wrappedBuffer(upgrade(WsSubscriber.acceptFor(KEY))));
    byte[] reason = "fell behind".getBytes(StandardCharsets.UTF_8);
    ByteBuf close = Unpooled.buffer().writeByte(0x88).writeByte(2 + reason.length).writeShort(1013).writeBytes(reason);
    channel.writeInbound(close);
    channel.runPendingTasks();
    assertEquals("1013 fell behind", subscriber.closedWith());
    assertFalse(channel.isOpen());
    assertFalse(subscriber.isOpen());
  }

  @Test
  void anUpgradeRefusedOrWithTheWrongAcceptKeyFailsTheOpen() {
    channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n",
        StandardCharsets.US_ASCII));
    assertTrue(failure(opened).contains("upgrade refused: HTTP/1.1 401 Unauthorized"), failure(opened));

    CompletableFuture<WsSubscriber> wrongKey = new CompletableFuture<>();
    EmbeddedChannel other = new EmbeddedChannel(
        new WsSubscriber().new Frames("GET / HTTP/1.1\r\n\r\n", WsSubscriber.acceptFor(KEY), wrongKey));
    other.writeInbound(Unpooled.wrappedBuffer(upgrade(WsSubscriber.acceptFor("another key"))));
    assertTrue(failure(wrongKey).contains("Sec-WebSocket-Accept"), failure(wrongKey));
  }

  private static String failure(CompletableFuture<?> future) {
    try {
      future.getNow(null);
      return "not failed";
    } catch (Exception e) {
      return e instanceof ExecutionException || e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    }
  }

  private static byte[] upgrade(String accept) {
    return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static String message(long sequence, long benchIndex, long benchTime) {
    return "{\"sequence\":" + sequence + ",\"body\":{\"bench_i\":" + benchIndex + ",\"bench_t\":" + benchTime + "}}";
  }

  // An unmasked final text frame, with the shortest length encoding that fits.
  private static byte[] text(String payload) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    ByteBuf frame = Unpooled.buffer().writeByte(0x81);
    if (bytes.length < 126) {
      frame.writeByte(bytes.length);
    } else if (bytes.length < 65_536) {
      frame.writeByte(126).writeShort(bytes.length);
    } else {
      frame.writeByte(127).writeLong(bytes.length);
    }
    frame.writeBytes(bytes);
    byte[] out = new byte[frame.readableBytes()];
    frame.readBytes(out);
    return out;
  }
}
