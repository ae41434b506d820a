package io.ferry.messaging.api.cloudflare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.contracts.model.ContentType;
import io.ferry.messaging.core.NewMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainPushBodiesTest {

  @Test
  void aPlainPushReadsAsTheCheckedPathReadsIt() {
    for (String request : List.of(
        "{\"body\": {\"a\": [1, 2.5, \"x y\"], \"b\": null}}",
        " {\"content_type\": \"json\", \"body\": \"text \\\" in json\", \"delay_seconds\": 43200} ",
        "{\"body\": 12345678901234567890123, \"delay_seconds\": 0}",
        "{\"body\": [true, false, {}]}")) {
      assertSame(checked(request), PlainPushBodies.single(Buffer.buffer(request)), request);
    }
  }

  @Test
  void aPlainBatchReadsAsTheCheckedPathReadsIt() {
    String request = "{\"messages\": [{\"body\": {\"n\": 1}}, {\"body\": \"two\", \"content_type\": \"json\","
        + " \"delay_seconds\": 7}, {\"delay_seconds\": 1, \"body\": [3]}], \"delay_seconds\": 30}";
    PlainPushBodies.Batch batch = PlainPushBodies.batch(Buffer.buffer(request));
    JsonObject decoded = new JsonObject(request);
    List<NewMessage> expected = MessageParser.batch(decoded, RawJsonBodies.batch(Buffer.buffer(request), 3));
    assertEquals(expected.size(), batch.messages().size());
    for (int i = 0; i < expected.size(); i++) {
      assertSame(expected.get(i), batch.messages().get(i), "messages[" + i + "]");
    }
    assertEquals(30, batch.delaySeconds());
    assertNull(PlainPushBodies.batch(Buffer.buffer("{\"messages\": [{\"body\": 1}]}")).delaySeconds());
  }

  // Each of these goes to the checked path, which answers it (an error, or what a JSON object reads as).
  private static final List<String> NOT_PLAIN_SINGLE = List.of(
      "",
      "{}",
      "[]",
      "{\"body\": 1",
      "{\"body\": 1} trailing",
      "{\"body\": 1}{}",
      "{\"body\": 1 /* comment */}",
      "{'body': 1}",
      "{\"body\": null}",
      "{\"body\": 1, \"body\": 2}",
      "{\"body\": 1, \"extra\": 1}",
      "{\"body\": \"x\", \"content_type\": \"text\"}",
      "{\"body\": \"eA==\", \"content_type\": \"bytes\"}",
      "{\"body\": 1, \"content_type\": \"nope\"}",
      "{\"body\": 1, \"content_type\": null}",
      "{\"body\": 1, \"delay_seconds\": -1}",
      "{\"body\": 1, \"delay_seconds\": 43201}",
      "{\"body\": 1, \"delay_seconds\": 1.5}",
      "{\"body\": 1, \"delay_seconds\": \"1\"}",
      "{\"body\": 1, \"delay_seconds\": 99999999999}",
      "{\"body\": \"" + "x".repeat(MessageParser.MAX_MESSAGE_BYTES) + "\"}");

  @Test
  void aSinglePushThatIsNotPlainIsLeftToTheCheckedPath() {
    for (String request : NOT_PLAIN_SINGLE) {
      assertNull(PlainPushBodies.single(Buffer.buffer(request)), request);
    }
  }

  @Test
  void aBatchThatIsNotPlainIsLeftToTheCheckedPath() {
    String hundredAndOne = new JsonObject().put("messages", new JsonArray(
        java.util.Collections.nCopies(101, new JsonObject().put("body", 1)))).encode();
    String overTheBatchLimit = new JsonObject().put("messages", new JsonArray(java.util.Collections.nCopies(3,
        new JsonObject().put("body", "x".repeat(100_000))))).encode();
    for (String request : List.of("", "{}", "{\"messages\": []}", "{\"messages\": null}", "{\"messages\": {}}",
        "{\"messages\": [1]}", "{\"messages\": [{}]}", "{\"messages\": [{\"body\": 1}], \"messages\": []}",
        "{\"messages\": [{\"body\": 1}], \"extra\": 1}", "{\"messages\": [{\"body\": 1, \"extra\": 1}]}",
        "{\"messages\": [{\"body\": 1}], \"delay_seconds\": -1}", "{\"messages\": [{\"body\": 1}]} x",
        "{\"messages\": [{\"body\": \"x\", \"content_type\": \"text\"}]}", hundredAndOne, overTheBatchLimit)) {
      assertNull(PlainPushBodies.batch(Buffer.buffer(request)), request.length() > 200
          ? request.substring(0, 200) : request);
    }
  }

  @Test
  void invalidUtf8InABodyIsLeftToTheCheckedPath() {
    byte[] head = "{\"body\": \"".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
    Buffer request = Buffer.buffer().appendBytes(head).appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28})
        .appendBytes(tail);
    assertNull(PlainPushBodies.single(request));
  }

  private static NewMessage checked(String request) {
    return MessageParser.message(new JsonObject(request), "", RawJsonBodies.single(Buffer.buffer(request)));
  }

  private static void assertSame(NewMessage expected, NewMessage actual, String what) {
    assertEquals(expected.key(), actual.key(), what);
    assertEquals(ContentType.JSON, actual.contentType(), what);
    assertEquals(expected.contentType(), actual.contentType(), what);
    assertArrayEquals(expected.body(), actual.body(), what);
    assertEquals(expected.delaySeconds(), actual.delaySeconds(), what);
  }
}
