package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void doublesFromFiveSecondsAndCapsAtFiveMinutes() {
    RetryPolicy policy = new RetryPolicy(5, 300, 0.2, () -> 0.5);
    assertEquals(5, policy.delaySeconds(1));
    assertEquals(10, policy.delaySeconds(2));
    assertEquals(20, policy.delaySeconds(3));
    assertEquals(160, policy.delaySeconds(6));
    assertEquals(300, policy.delaySeconds(7));
    assertEquals(300, policy.delaySeconds(1_000));
  }

  @Test
  void jitterSpreadsByTwentyPercentEitherWay() {
    assertEquals(4, new RetryPolicy(5, 300, 0.2, () -> 0.0).delaySeconds(1));
    assertEquals(240, new RetryPolicy(5, 300, 0.2, () -> 0.0).delaySeconds(20));
    assertEquals(360, new RetryPolicy(5, 300, 0.2, () -> 0.999_999).delaySeconds(20));
    RetryPolicy standard = RetryPolicy.standard();
    for (int i = 0; i < 1_000; i++) {
      int delay = standard.delaySeconds(3);
      assertTrue(delay >= 16 && delay <= 24, "delay " + delay);
    }
  }

  @Test
  void neverAsksForLessThanOneSecond() {
    assertEquals(1, new RetryPolicy(1, 300, 0.5, () -> 0.0).delaySeconds(1));
  }

  @Test
  void refusesANonsensicalSchedule() {
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, 300, 0.2, () -> 0.5));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(10, 5, 0.2, () -> 0.5));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(5, 300, 1.0, () -> 0.5));
  }
}
