package io.ferry.admin.store;

import static io.ferry.contracts.model.JsonBytes.appendLong;
import static io.ferry.contracts.model.JsonBytes.appendString;
import static io.ferry.contracts.model.JsonBytes.ascii;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;

// An attempt-log entry as stored in RocksDB: the JSON of WebhookAttempt.toJson, written and read field by field,
// since an entry is written per webhook delivery and one is trimmed per entry written, and building a
// JsonObject each way was a third of the attempt log's time (and a Jackson generator per entry still 4 % of
// Ferry's CPU delivering webhooks).
final class AttemptJson {

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final byte[] ID = ascii("{\"id\":");
  private static final byte[] QUEUE_ID = ascii(",\"queueId\":");
  private static final byte[] LISTENER_ID = ascii(",\"listenerId\":");
  private static final byte[] MESSAGE_ID = ascii(",\"messageId\":");
  private static final byte[] ATTEMPT = ascii(",\"attempt\":");
  private static final byte[] TIMESTAMP_MS = ascii(",\"timestampMs\":");
  private static final byte[] OUTCOME = ascii(",\"outcome\":");
  private static final byte[] STATUS_CODE = ascii(",\"statusCode\":");
  private static final byte[] ERROR = ascii(",\"error\":");
  private static final byte[] LATENCY_MS = ascii(",\"latencyMs\":");
  private static final byte[] RESPONSE_EXCERPT = ascii(",\"responseExcerpt\":");
  // Field names, four ids, numbers, the outcome and an error.
  private static final int ENTRY_OVERHEAD = 400;

  /** Builds whatever the caller keeps of an entry's index fields. */
  @FunctionalInterface
  interface IndexFields<T> {
    T of(String id, String queueId, String messageId, String listenerId);
  }

  private AttemptJson() {
  }

  static byte[] encode(WebhookAttempt attempt) {
    String excerpt = attempt.responseExcerpt();
    Buffer out = Buffer.buffer(ENTRY_OVERHEAD + (excerpt == null ? 0 : excerpt.length()));
    out.appendBytes(ID);
    appendString(out, attempt.id());
    out.appendBytes(QUEUE_ID);
    appendString(out, attempt.queueId());
    out.appendBytes(LISTENER_ID);
    appendString(out, attempt.listenerId());
    out.appendBytes(MESSAGE_ID);
    appendString(out, attempt.messageId());
    out.appendBytes(ATTEMPT);
    appendLong(out, attempt.attempt());
    out.appendBytes(TIMESTAMP_MS);
    appendLong(out, attempt.timestampMs());
    out.appendBytes(OUTCOME);
    appendString(out, attempt.outcome());
    out.appendBytes(STATUS_CODE);
    appendLong(out, attempt.statusCode() == null ? null : (long) attempt.statusCode());
    out.appendBytes(ERROR);
    appendString(out, attempt.error());
    out.appendBytes(LATENCY_MS);
    appendLong(out, attempt.latencyMs());
    out.appendBytes(RESPONSE_EXCERPT);
    appendString(out, excerpt);
    return out.appendByte((byte) '}').getBytes();
  }

  /** The fields an entry is indexed by, without decoding the rest. */
  static <T> T indexed(byte[] entry, IndexFields<T> fields) {
    String id = null;
    String queueId = null;
    String messageId = null;
    String listenerId = null;
    try (JsonParser json = JSON.createParser(entry)) {
      json.nextToken();
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        String text = value == JsonToken.VALUE_STRING ? json.getText() : null;
        switch (name) {
          case "id" -> id = text;
          case "queueId" -> queueId = text;
          case "messageId" -> messageId = text;
          case "listenerId" -> listenerId = text;
          default -> json.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fields.of(id, queueId, messageId, listenerId);
  }
}
