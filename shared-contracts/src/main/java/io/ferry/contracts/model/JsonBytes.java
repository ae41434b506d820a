package io.ferry.contracts.model;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * JSON written straight into a {@link Buffer}, for what is written once per message or per delivery (pull
 * results, webhook bodies, attempt-log entries), where building a {@code JsonObject} or a Jackson generator
 * for a handful of fields costs more than the fields. Field names are the caller's constant bytes; a string
 * with nothing to escape is copied as it is, and any other is encoded by Vert.x's JSON encoder into bytes, so
 * escaping never differs from Jackson's writing UTF-8 (which writes a character outside the BMP as an escaped
 * surrogate pair).
 */
public final class JsonBytes {

  private static final byte[] NULL = ascii("null");

  private JsonBytes() {
  }

  /** The bytes of constant text (field names, punctuation), which must be ASCII. */
  public static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Appends {@code value} as a JSON string, or {@code null}. */
  public static Buffer appendString(Buffer out, String value) {
    if (value == null) {
      return out.appendBytes(NULL);
    }
    if (!isPlain(value)) {
      return out.appendBuffer(Json.encodeToBuffer(value));
    }
    return out.appendByte((byte) '"').appendBytes(value.getBytes(StandardCharsets.ISO_8859_1))
        .appendByte((byte) '"');
  }

  /** Appends UTF-8 {@code text} as a JSON string. */
  public static Buffer appendString(Buffer out, byte[] text) {
    if (!isPlain(text)) {
      return out.appendBuffer(Json.encodeToBuffer(new String(text, StandardCharsets.UTF_8)));
    }
    return out.appendByte((byte) '"').appendBytes(text).appendByte((byte) '"');
  }

  public static Buffer appendLong(Buffer out, long value) {
    if (value >= 0 && value < 10) {
      return out.appendByte((byte) ('0' + value));
    }
    return out.appendBytes(Long.toString(value).getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Appends {@code value}, or {@code null}. */
  public static Buffer appendLong(Buffer out, Long value) {
    return value == null ? out.appendBytes(NULL) : appendLong(out, value.longValue());
  }

  // Printable ASCII other than the quote and backslash: what a JSON encoder copies without escaping.
  private static boolean isPlain(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (!isPlain(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlain(byte[] value) {
    for (byte b : value) {
      if (!isPlain((char) b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlain(char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  }
}
