package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final long NOW = Instant.parse("2025-10-21T07:28:00Z").toEpochMilli();

  @Test
  void readsDelaySeconds() {
    assertEquals(0, RetryAfter.parseMs("0", NOW));
    assertEquals(120_000, RetryAfter.parseMs("120", NOW));
    assertEquals(3_000, RetryAfter.parseMs(" 3 ", NOW));
  }

  @Test
  void readsAnHttpDateRelativeToNow() {
    assertEquals(90_000, RetryAfter.parseMs("Tue, 21 Oct 2025 07:29:30 GMT", NOW));
    assertEquals(0, RetryAfter.parseMs("Tue, 21 Oct 2025 07:00:00 GMT", NOW), "a date already past");
  }

  @Test
  void aHugeDelayStaysInRange() {
    long huge = RetryAfter.parseMs("99999999999999999999", NOW);
    assertEquals(Long.MAX_VALUE / 2, huge);
  }

  @Test
  void ignoresAbsentAndUnreadableValues() {
    assertEquals(-1, RetryAfter.parseMs(null, NOW));
    assertEquals(-1, RetryAfter.parseMs("", NOW));
    assertEquals(-1, RetryAfter.parseMs("soon", NOW));
    assertEquals(-1, RetryAfter.parseMs("-5", NOW));
    assertEquals(-1, RetryAfter.parseMs("1.5", NOW));
  }

  @Test
  void isHonouredOnlyOn429And503() {
    assertEquals(7_000, DeliveryOutcome.fromResponse(429, "7", NOW).retryAfterMs());
    assertEquals(7_000, DeliveryOutcome.fromResponse(503, "7", NOW).retryAfterMs());
    assertEquals(-1, DeliveryOutcome.fromResponse(500, "7", NOW).retryAfterMs());
    assertEquals(-1, DeliveryOutcome.fromResponse(200, "7", NOW).retryAfterMs());
  }
}
