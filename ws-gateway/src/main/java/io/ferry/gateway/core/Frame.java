package io.ferry.gateway.core;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.MessageBodies;
import io.ferry.contracts.model.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One message as a live subscriber receives it: the TEXT frame {@code {"id","sequence","payload"}},
 * encoded once per message however many sockets it goes to. {@code bytes} is its UTF-8 size, what it costs
 * a socket to hold or queue it; {@code wire} is the whole WebSocket frame as a server sends it (RFC 6455,
 * unmasked), the same bytes for every socket, which the sockets read (never modify) rather than encoding again.
 */
public record Frame(long sequence, String frameId, String text, int bytes, ByteBuf wire) {

  public static Frame of(StoredMessage message) {
    String text = new JsonObject()
        .put("id", message.frameId())
        .put("sequence", message.sequence())
        .put("payload", payloadOf(message))
        .encode();
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return new Frame(message.sequence(), message.frameId(), text, utf8.length, wireTextFrame(utf8));
  }

  // Vert.x's default largest frame, which its clients also refuse to read beyond: longer messages go as a
  // TEXT frame and CONTINUATION frames, as Vert.x itself splits them.
  private static final int MAX_FRAME_PAYLOAD = 65_536;

  private static ByteBuf wireTextFrame(byte[] utf8) {
    int fragments = Math.max(1, (utf8.length + MAX_FRAME_PAYLOAD - 1) / MAX_FRAME_PAYLOAD);
    ByteBuf wire = Unpooled.buffer(utf8.length + 10 * fragments);
    for (int i = 0; i < fragments; i++) {
      int from = i * MAX_FRAME_PAYLOAD;
      int length = Math.min(MAX_FRAME_PAYLOAD, utf8.length - from);
      boolean last = i == fragments - 1;
      // FIN on the last fragment; opcode TEXT first, CONTINUATION after; no mask, as server frames have none.
      wire.writeByte((last ? 0x80 : 0) | (i == 0 ? 0x1 : 0x0));
      if (length < 126) {
        wire.writeByte(length);
      } else if (length <= 0xFFFF) {
        wire.writeByte(126).writeShort(length);
      } else {
        wire.writeByte(127).writeLong(length);
      }
      wire.writeBytes(utf8, from, length);
    }
    return wire;
  }

  public static List<Frame> allOf(List<StoredMessage> messages) {
    List<Frame> frames = new ArrayList<>(messages.size());
    for (StoredMessage message : messages) {
      frames.add(of(message));
    }
    return frames;
  }

  /** The frames as one JSON array, built from the already encoded frames. */
  public static String jsonArray(List<Frame> frames) {
    StringBuilder array = new StringBuilder(2 + frames.size() * 64).append('[');
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0) {
        array.append(',');
      }
      array.append(frames.get(i).text());
    }
    return array.append(']').toString();
  }

  /** Whether this frame belongs on a subscription following {@code key} ({@code null}: every frame). */
  public boolean matches(String key) {
    return key == null || key.equals(frameId);
  }

  /** What the frames cost together, as {@link #bytes()} counts. */
  public static long bytesOf(List<Frame> frames) {
    long bytes = 0;
    for (Frame frame : frames) {
      bytes += frame.bytes();
    }
    return bytes;
  }

  private static Object payloadOf(StoredMessage message) {
    // A body the producer labelled json but that does not parse (or an unknown content type) still has
    // to reach the subscriber: deliver it as text / base64 rather than dropping it or failing the batch.
    if (message.contentType() == null) {
      return Base64.getEncoder().encodeToString(message.body());
    }
    try {
      return MessageBodies.asJsonValue(message);
    } catch (DecodeException e) {
      return message.contentType() == ContentType.JSON
          ? new String(message.body(), StandardCharsets.UTF_8)
          : Base64.getEncoder().encodeToString(message.body());
    }
  }
}
