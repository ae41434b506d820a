package io.ferry.messaging.api.cloudflare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ferry.contracts.model.ContentType;
import io.ferry.messaging.api.MessageLimits;
import io.ferry.messaging.core.NewMessage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A push or batch body read in one streaming pass: the request used to be decoded into a JSON object tree for
 * its checks and then parsed again for the bodies' bytes ({@link RawJsonBodies}), two parses per request.
 * Only a plainly valid body is read here: an object whose fields are known and given once, json bodies
 * ({@code content_type} absent or {@code "json"}), delays as whole numbers in range, a batch of 1 to
 * {@link MessageLimits#MAX_BATCH_MESSAGES} messages within the size limits. For anything else the answer is
 * null and the caller checks the body as before ({@link MessageParser}), so every error a client sees comes
 * from one place. Bodies are the producer's bytes without whitespace outside strings, as with
 * {@link RawJsonBodies}.
 */
final class PlainPushBodies {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** A batch's messages and its own delay ({@code null}: none given). */
  record Batch(List<NewMessage> messages, Integer delaySeconds) {
  }

  private PlainPushBodies() {
  }

  /** The message of a single push, or null when the body is not plain. */
  static NewMessage single(Buffer request) {
    byte[] bytes = request.getBytes();
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      NewMessage message = entry(parser, bytes, new byte[bytes.length]);
      return message != null && parser.nextToken() == null ? message : null;
    } catch (IOException | RuntimeException notPlain) {
      return null;
    }
  }

  /** The messages of a batch push, or null when the body is not plain. */
  static Batch batch(Buffer request) {
    byte[] bytes = request.getBytes();
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      List<NewMessage> messages = null;
      Integer delay = null;
      boolean delaySeen = false;
      String field;
      while ((field = parser.nextFieldName()) != null) {
        JsonToken value = parser.nextToken();
        if ("messages".equals(field) && messages == null && value == JsonToken.START_ARRAY) {
          messages = entries(parser, bytes);
          if (messages == null) {
            return null;
          }
        } else if ("delay_seconds".equals(field) && !delaySeen && value == JsonToken.VALUE_NUMBER_INT) {
          delaySeen = true;
          delay = delaySeconds(parser);
          if (delay == null) {
            return null;
          }
        } else {
          return null;
        }
      }
      if (messages == null || parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return null;
      }
      return new Batch(messages, delay);
    } catch (IOException | RuntimeException notPlain) {
      return null;
    }
  }

  // The entries up to the array's end, or null if one is not plain or the batch is out of bounds.
  private static List<NewMessage> entries(JsonParser parser, byte[] bytes) throws IOException {
    List<NewMessage> messages = new ArrayList<>();
    byte[] scratch = new byte[bytes.length];
    long totalBytes = 0;
    for (JsonToken entry = parser.nextToken(); entry != JsonToken.END_ARRAY; entry = parser.nextToken()) {
      if (entry != JsonToken.START_OBJECT || messages.size() == MessageLimits.MAX_BATCH_MESSAGES) {
        return null;
      }
      NewMessage message = entry(parser, bytes, scratch);
      if (message == null) {
        return null;
      }
      totalBytes += message.body().length + MessageParser.METADATA_BYTES;
      messages.add(message);
    }
    return messages.isEmpty() || totalBytes > MessageParser.MAX_BATCH_BYTES ? null : messages;
  }

  // One message object, the parser on its START_OBJECT; null if it is not plain. Leaves the parser on its end.
  private static NewMessage entry(JsonParser parser, byte[] bytes, byte[] scratch) throws IOException {
    byte[] body = null;
    Integer delay = null;
    boolean delaySeen = false;
    boolean typeSeen = false;
    String field;
    while ((field = parser.nextFieldName()) != null) {
      JsonToken value = parser.nextToken();
      if ("body".equals(field) && body == null && value != JsonToken.VALUE_NULL) {
        body = RawJsonBodies.valueAt(parser, bytes, scratch);
        parser.skipChildren();
      } else if ("content_type".equals(field) && !typeSeen && value == JsonToken.VALUE_STRING
          && ContentType.fromWire(parser.getText()) == ContentType.JSON) {
        typeSeen = true;
      } else if ("delay_seconds".equals(field) && !delaySeen && value == JsonToken.VALUE_NUMBER_INT) {
        delaySeen = true;
        delay = delaySeconds(parser);
        if (delay == null) {
          return null;
        }
      } else {
        return null;
      }
    }
    if (body == null || parser.currentToken() != JsonToken.END_OBJECT
        || body.length + MessageParser.METADATA_BYTES > MessageParser.MAX_MESSAGE_BYTES) {
      return null;
    }
    return new NewMessage(null, ContentType.JSON, body, delay);
  }

  private static Integer delaySeconds(JsonParser parser) throws IOException {
    if (parser.getNumberType() != JsonParser.NumberType.INT) {
      return null;
    }
    int seconds = parser.getIntValue();
    return seconds >= 0 && seconds <= MessageLimits.MAX_DELAY_SECONDS ? seconds : null;
  }
}
