package io.ferry.messaging.api.cloudflare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.contracts.model.RetryRequest;
import io.ferry.messaging.api.cloudflare.PlainAckBodies.AckBody;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainAckBodiesTest {

  @Test
  void aPlainBodyIsReadInOrder() {
    AckBody body = PlainAckBodies.read(Buffer.buffer(" {\"acks\": [{\"lease_id\": \"a\"}, {\"lease_id\": \"b\"}],\n"
        + " \"retries\": [{\"lease_id\": \"c\", \"delay_seconds\": 0}, {\"delay_seconds\": 43200, \"lease_id\": \"d\"},"
        + " {\"lease_id\": \"e\"}]} "));
    assertEquals(List.of("a", "b"), body.acks());
    assertEquals(List.of(new RetryRequest("c", 0), new RetryRequest("d", 43_200), new RetryRequest("e", null)),
        body.retries());
  }

  @Test
  void eitherArrayMayBeMissingOrEmpty() {
    assertEquals(new AckBody(List.of("a"), List.of()), PlainAckBodies.read(Buffer.buffer(
        "{\"acks\":[{\"lease_id\":\"a\"}]}")));
    assertEquals(new AckBody(List.of(), List.of(new RetryRequest("r", 3))), PlainAckBodies.read(Buffer.buffer(
        "{\"retries\":[{\"lease_id\":\"r\",\"delay_seconds\":3}]}")));
    assertEquals(new AckBody(List.of(), List.of()), PlainAckBodies.read(Buffer.buffer(
        "{\"acks\":[],\"retries\":[]}")));
  }

  // Each of these goes to the checked path, which answers it (an error, or what a JSON object reads as).
  private static final List<String> NOT_PLAIN = List.of(
      "",
      "{}",
      "[]",
      "\"acks\"",
      "{\"acks\": [",
      "{\"acks\": []} trailing",
      "{\"acks\": []}{}",
      "{\"acks\": [] /* comment */}",
      "{'acks': []}",
      "{\"acks\": null}",
      "{\"acks\": \"x\"}",
      "{\"acks\": {}}",
      "{\"acks\": [], \"acks\": []}",
      "{\"retries\": [], \"retries\": []}",
      "{\"ack\": []}",
      "{\"acks\": [], \"extra\": 1}",
      "{\"acks\": [\"a\"]}",
      "{\"acks\": [null]}",
      "{\"acks\": [{}]}",
      "{\"acks\": [{\"lease_id\": null}]}",
      "{\"acks\": [{\"lease_id\": 5}]}",
      "{\"acks\": [{\"lease_id\": \"a\", \"delay_seconds\": 5}]}",
      "{\"acks\": [{\"lease_id\": \"a\", \"lease_id\": \"b\"}]}",
      "{\"acks\": [{\"lease\": \"a\"}]}",
      "{\"retries\": [5]}",
      "{\"retries\": [{}]}",
      "{\"retries\": [{\"delay_seconds\": 1}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"lease_id\": \"b\"}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": 1, \"delay_seconds\": 2}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay\": 1}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": null}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": -1}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": 43201}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": 99999999999}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": 99999999999999999999999}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": 1.0}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": 1e1}]}",
      "{\"retries\": [{\"lease_id\": \"a\", \"delay_seconds\": \"1\"}]}",
      "{\"retries\": [{\"lease_id\": 1}]}",
      "{\"acks\": [{\"lease_id\": \"a\"}], \"retries\": [{}]}",
      "{\"acks\": [{\"lease_id\": \"a\"}], \"retries\": null}");

  @Test
  void anythingButAPlainBodyIsLeftToTheCheckedPath() {
    for (String body : NOT_PLAIN) {
      assertNull(PlainAckBodies.read(Buffer.buffer(body)), body);
    }
  }
}
