package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WsSubscriberFieldTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheIntegersOfAFerryFrame() {
    byte[] frame = utf8("{\"id\":\"q-1\",\"sequence\":42,\"payload\":{\"bench_i\":7,\"bench_t\":-123456789,"
        + "\"pad\":\"xx\"}}");
    assertEquals(42, WsSubscriber.field(frame, utf8("\"sequence\":")));
    assertEquals(7, WsSubscriber.field(frame, utf8("\"bench_i\":")));
    assertEquals(-123456789, WsSubscriber.field(frame, utf8("\"bench_t\":")));
  }

  @Test
  void aMissingOrTruncatedKeyIsMinusOne() {
    assertEquals(-1, WsSubscriber.field(utf8("{\"sequence\":1}"), utf8("\"bench_i\":")));
    assertEquals(-1, WsSubscriber.field(utf8("\"bench_"), utf8("\"bench_i\":")));
    assertEquals(3, WsSubscriber.field(utf8("{\"bench_\":1,\"bench_i\": 3}"), utf8("\"bench_i\":")));
  }
}
