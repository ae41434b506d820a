package io.ferry.messaging.api.cloudflare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawJsonBodiesTest {

  // Bodies whose bytes must be exactly what decoding and encoding again gave before.
  private static final List<String> ORDINARY = List.of(
      "{\"a\": 1, \"b\": [true, false, null], \"c\": {\"d\": \"x y\"}}",
      "[ 1, 2.5, -3, \"four\" ]",
      "\"a \\\"quoted\\\" {not: an object} [ ]\"",
      "42",
      "-0.5",
      "true",
      "null",
      "{\"text\": \"tabs\\tand\\nnewlines, braces } ] and commas , inside\"}",
      "{\"accent\": \"caf\u00e9\"}",
      "{}",
      "[]");

  @Test
  void ordinaryBodiesAreByteForByteWhatReEncodingGave() {
    for (String body : ORDINARY) {
      String request = "{ \"content_type\" : \"json\",\n  \"body\" :\t" + body + " \n, \"delay_seconds\": 0 }";
      byte[] expected = Json.encodeToBuffer(new JsonObject(request).getValue("body")).getBytes();
      assertEquals(new String(expected, StandardCharsets.UTF_8),
          new String(RawJsonBodies.single(Buffer.buffer(request)), StandardCharsets.UTF_8), body);
    }
  }

  @Test
  void batchBodiesAreFoundByPositionAndEntriesWithoutOneAreNull() {
    String request = "{\"delay_seconds\": 1, \"messages\": [ {\"body\": {\"n\": 1}}, {\"content_type\": \"text\"},"
        + " {\"body\" : [1, {\"m\": [2]}], \"delay_seconds\": 2}, {\"body\": \"last\"} ]}";
    byte[][] bodies = RawJsonBodies.batch(Buffer.buffer(request), 4);
    JsonArray decoded = new JsonObject(request).getJsonArray("messages");
    assertEquals(4, bodies.length);
    assertArrayEquals(Json.encodeToBuffer(decoded.getJsonObject(0).getValue("body")).getBytes(), bodies[0]);
    assertNull(bodies[1]);
    assertEquals("[1,{\"m\":[2]}]", new String(bodies[2], StandardCharsets.UTF_8));
    assertEquals("\"last\"", new String(bodies[3], StandardCharsets.UTF_8));
  }

  @Test
  void numbersAndEscapesKeepTheProducersSpellingAndValue() {
    String request = "{\"body\": {\"big\": 0.123456789012345678901234567890, \"e\": 1e2, \"slash\": \"a\\/b\"}}";
    String raw = new String(RawJsonBodies.single(Buffer.buffer(request)), StandardCharsets.UTF_8);
    assertEquals("{\"big\":0.123456789012345678901234567890,\"e\":1e2,\"slash\":\"a\\/b\"}", raw);
    JsonObject value = new JsonObject(raw);
    assertEquals(100.0, value.getDouble("e"));
    assertEquals("a/b", value.getString("slash"));

    // Re-encoding wrote characters beyond the BMP as \\u escapes; the producer's UTF-8 is kept instead.
    String emoji = "{\"emoji\": \"\ud83d\ude80\"}";
    byte[] kept = RawJsonBodies.single(Buffer.buffer("{\"body\": " + emoji + "}"));
    assertEquals("{\"emoji\":\"\ud83d\ude80\"}", new String(kept, StandardCharsets.UTF_8));
    assertEquals(new JsonObject(emoji), new JsonObject(Json.encode(new JsonObject(emoji))));
    assertEquals(new JsonObject(emoji), new JsonObject(new String(kept, StandardCharsets.UTF_8)));
  }

  @Test
  void aRepeatedFieldYieldsTheLastOneAsTheDecodedObjectDoes() {
    assertEquals("2", new String(RawJsonBodies.single(Buffer.buffer("{\"body\": 1, \"body\": 2}")),
        StandardCharsets.UTF_8));
    byte[][] bodies = RawJsonBodies.batch(Buffer.buffer(
        "{\"messages\": [{\"body\": \"first\"}], \"messages\": [{\"x\": 1}, {\"body\": \"second\"}]}"), 2);
    assertNull(bodies[0]);
    assertEquals("\"second\"", new String(bodies[1], StandardCharsets.UTF_8));
  }

  @Test
  void anUnexpectedLayoutGivesNothingSoTheDecodedValueIsEncodedInstead() {
    assertNull(RawJsonBodies.single(Buffer.buffer("[1, 2]")));
    assertNull(RawJsonBodies.single(Buffer.buffer("{\"other\": 1}")));
    assertNull(RawJsonBodies.batch(Buffer.buffer("\"text\""), 1));
  }
}
