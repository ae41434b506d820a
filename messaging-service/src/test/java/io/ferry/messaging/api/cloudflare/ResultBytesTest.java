package io.ferry.messaging.api.cloudflare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultBytesTest {

  // Text bodies and ids that a JSON encoder copies, escapes, or writes as multi-byte UTF-8.
  private static final List<String> TEXTS = List.of("", "plain text", "a \"quoted\" word", "back\\slash",
      "tab\tnew\nline\rfeed\fback\b", "control \u0001\u001f\u007f", "caf\u00e9 \u20ac \uD83D\uDE00", "</script>");

  @Test
  void aPullIsByteForByteWhatEncodingTheJsonObjectGave() {
    List<LeasedMessage> leased = new ArrayList<>();
    int n = 0;
    for (String text : TEXTS) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      for (ContentType type : ContentType.values()) {
        leased.add(new LeasedMessage(message("id" + n, type, utf8, 1_700_000_000_000L + n), "lease" + n, n % 7));
        n++;
      }
    }
    leased.add(new LeasedMessage(message("weird \"id\"", ContentType.TEXT, new byte[] {(byte) 0xff, 'a'}, 0),
        "lease \u00e9", 1));
    leased.add(new LeasedMessage(message("big", ContentType.BYTES, new byte[100_000], -1), "l", 1_000_000));
    assertSameBytes(new LeaseBatch(leased, new QueueMetrics(123_456_789_012L, 9, 1_700_000_000_000L)));
  }

  @Test
  void emptyAndSingleMessagePullsMatchToo() {
    assertSameBytes(new LeaseBatch(List.of(), QueueMetrics.EMPTY));
    assertSameBytes(new LeaseBatch(List.of(new LeasedMessage(message("0123456789abcdef0123456789abcdef",
        ContentType.JSON, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 5), "fedcba9876543210fedcba9876543210",
        1)), new QueueMetrics(1, 7, 5)));
  }

  @Test
  void anAckIsByteForByteWhatEncodingTheJsonObjectGaveWithAndWithoutWarnings() {
    Map<String, String> warnings = new LinkedHashMap<>();
    assertSameBytes(new AckResult(0, 0, warnings));
    assertSameBytes(new AckResult(10, 12_345, warnings));
    warnings.put("lease \"1\"", "lease \"1\" is unknown");
    warnings.put("b", "caf\u00e9");
    assertSameBytes(new AckResult(1, 2, warnings));
  }

  @Test
  void aPushIsByteForByteWhatEncodingTheJsonObjectGave() {
    for (QueueMetrics metrics : List.of(QueueMetrics.EMPTY, new QueueMetrics(1, 100, 1_700_000_000_000L),
        new QueueMetrics(Long.MAX_VALUE, 12_345_678_901L, -5))) {
      assertEquals(Json.encodeToBuffer(pushedAsObject(metrics)).toString(StandardCharsets.ISO_8859_1),
          ResultBytes.pushed(metrics).toString(StandardCharsets.ISO_8859_1));
    }
  }

  private static StoredMessage message(String id, ContentType type, byte[] body, long timestampMs) {
    return new StoredMessage(id, "queue", 1, null, type, body, timestampMs, timestampMs);
  }

  private static void assertSameBytes(LeaseBatch batch) {
    assertEquals(Json.encodeToBuffer(pulledAsObject(batch)).toString(StandardCharsets.ISO_8859_1),
        ResultBytes.pulled(batch).toString(StandardCharsets.ISO_8859_1));
  }

  private static void assertSameBytes(AckResult result) {
    assertEquals(Json.encodeToBuffer(MessageJson.acked(result)).toString(StandardCharsets.ISO_8859_1),
        ResultBytes.acked(result).toString(StandardCharsets.ISO_8859_1));
  }

  // The encoding the routes used before ResultBytes, kept as the reference its bytes must equal.
  private static JsonObject pushedAsObject(QueueMetrics metrics) {
    return new JsonObject().put("metadata", new JsonObject().put("metrics", MessageJson.metrics(metrics)));
  }

  private static JsonObject pulledAsObject(LeaseBatch batch) {
    JsonArray messages = new JsonArray();
    for (LeasedMessage leased : batch.messages()) {
      StoredMessage message = leased.message();
      messages.add(new JsonObject()
          .put("id", message.id())
          .put("body", bodyAsString(message))
          .put("timestamp_ms", message.timestampMs())
          .put("attempts", leased.attempts())
          .put("metadata", new JsonObject().put("CF-Content-Type", message.contentType().wireName()))
          .put("lease_id", leased.leaseId()));
    }
    return new JsonObject()
        .put("message_backlog_count", batch.metrics().backlogCount())
        .put("messages", messages)
        .put("metadata", new JsonObject().put("metrics", MessageJson.metrics(batch.metrics())));
  }

  private static String bodyAsString(StoredMessage message) {
    return switch (message.contentType()) {
      case TEXT -> new String(message.body(), StandardCharsets.UTF_8);
      case JSON, BYTES, V8 -> Base64.getEncoder().encodeToString(message.body());
    };
  }
}
