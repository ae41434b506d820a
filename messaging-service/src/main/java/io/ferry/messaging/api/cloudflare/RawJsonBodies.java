package io.ferry.messaging.api.cloudflare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Arrays;

/**
 * The JSON bodies of a push or batch as the producer wrote them, found in the request's bytes, so a json body
 * is stored without being decoded into maps and lists and encoded again (that round trip was 8–10 % of a batch
 * push's CPU). Whitespace outside strings is dropped, so ordinary bodies are byte for byte what re-encoding
 * gave; numbers and string escapes keep the producer's spelling (the same value to every JSON reader, and
 * large numbers keep their precision). Call only on a request already decoded as valid JSON; where the layout
 * is not the expected one, the answer is null and the caller encodes the decoded value as before.
 */
final class RawJsonBodies {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private RawJsonBodies() {
  }

  /** The top-level {@code body} of a single push; null when there is none. */
  static byte[] single(Buffer request) {
    byte[] bytes = request.getBytes();
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      byte[] body = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isBody = "body".equals(parser.currentName());
        parser.nextToken();
        if (isBody) {
          body = valueAt(parser, bytes, new byte[bytes.length]);
        }
        parser.skipChildren();
      }
      return body;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The {@code body} of each entry of {@code messages}, by position (null where an entry has none). */
  static byte[][] batch(Buffer request, int size) {
    byte[] bytes = request.getBytes();
    byte[][] bodies = new byte[size][];
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isMessages = "messages".equals(parser.currentName());
        JsonToken value = parser.nextToken();
        if (isMessages && value == JsonToken.START_ARRAY) {
          // A repeated "messages" field: the decoded object kept the last one, and so does this.
          Arrays.fill(bodies, null);
          readEntries(parser, bytes, bodies, new byte[bytes.length]);
        } else {
          parser.skipChildren();
        }
      }
      return bodies;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void readEntries(JsonParser parser, byte[] bytes, byte[][] bodies, byte[] scratch)
      throws IOException {
    int index = 0;
    for (JsonToken entry = parser.nextToken(); entry != JsonToken.END_ARRAY; entry = parser.nextToken(), index++) {
      if (entry != JsonToken.START_OBJECT || index >= bodies.length) {
        parser.skipChildren();
        continue;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isBody = "body".equals(parser.currentName());
        parser.nextToken();
        if (isBody) {
          bodies[index] = valueAt(parser, bytes, scratch);
        }
        parser.skipChildren();
      }
    }
  }

  // The value the parser stands on, from its first byte to its last, without whitespace outside strings;
  // scratch is at least as long as the request.
  static byte[] valueAt(JsonParser parser, byte[] bytes, byte[] scratch) {
    long offset = parser.currentTokenLocation().getByteOffset();
    if (offset < 0 || offset >= bytes.length) {
      throw new IllegalStateException("no byte offset for the body");
    }
    return minified(bytes, (int) offset, scratch);
  }

  // One pass from the value's first byte to its last, copying all but whitespace outside strings into scratch
  // (at least as long as what is left of the request).
  private static byte[] minified(byte[] in, int start, byte[] scratch) {
    int depth = 0;
    int kept = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = start; i < in.length; i++) {
      byte b = in[i];
      if (inString) {
        scratch[kept++] = b;
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
          if (depth == 0) {
            break;
          }
        }
        continue;
      }
      boolean whitespace = b == ' ' || b == '\t' || b == '\n' || b == '\r';
      boolean scalarEnded = depth == 0 && kept > 0 && (whitespace || b == ',' || b == '}' || b == ']');
      if (scalarEnded) {
        break;
      }
      if (whitespace) {
        continue;
      }
      scratch[kept++] = b;
      if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if ((b == '}' || b == ']') && --depth == 0) {
        break;
      }
    }
    return Arrays.copyOf(scratch, kept);
  }
}
