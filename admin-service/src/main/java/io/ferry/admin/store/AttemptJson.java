package io.ferry.admin.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.ferry.contracts.model.WebhookAttempt;
import java.io.IOException;
import java.io.UncheckedIOException;

// An attempt-log entry as stored in RocksDB: the JSON of WebhookAttempt.toJson, written and read field by field,
// since an entry is written per webhook delivery and one is trimmed per entry written, and building a
// JsonObject each way was a third of the attempt log's time.
final class AttemptJson {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** Builds whatever the caller keeps of an entry's index fields. */
  @FunctionalInterface
  interface IndexFields<T> {
    T of(String id, String queueId, String messageId, String listenerId);
  }

  private AttemptJson() {
  }

  static byte[] encode(WebhookAttempt attempt) {
    try (ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("id", attempt.id());
      json.writeStringField("queueId", attempt.queueId());
      json.writeStringField("listenerId", attempt.listenerId());
      json.writeStringField("messageId", attempt.messageId());
      json.writeNumberField("attempt", attempt.attempt());
      json.writeNumberField("timestampMs", attempt.timestampMs());
      json.writeStringField("outcome", attempt.outcome());
      if (attempt.statusCode() == null) {
        json.writeNullField("statusCode");
      } else {
        json.writeNumberField("statusCode", attempt.statusCode());
      }
      json.writeStringField("error", attempt.error());
      json.writeNumberField("latencyMs", attempt.latencyMs());
      json.writeStringField("responseExcerpt", attempt.responseExcerpt());
      json.writeEndObject();
      json.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
