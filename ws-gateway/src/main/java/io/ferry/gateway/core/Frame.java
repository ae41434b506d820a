package io.ferry.gateway.core;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.MessageBodies;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One message as a live subscriber receives it: the TEXT frame {@code {"id","sequence","payload"}},
 * encoded once per message however many sockets it goes to. {@code bytes} is its UTF-8 size, what it costs
 * a socket to hold or queue it.
 */
public record Frame(long sequence, String frameId, String text, int bytes) {

  public static Frame of(StoredMessage message) {
    String text = new JsonObject()
        .put("id", message.frameId())
        .put("sequence", message.sequence())
        .put("payload", payloadOf(message))
        .encode();
    return new Frame(message.sequence(), message.frameId(), text, utf8Length(text));
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

  private static int utf8Length(String text) {
    int length = text.length();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        // A surrogate pair is two chars in four bytes: one more byte per char, like U+0080..U+07FF.
        length += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
      }
    }
    return length;
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
