package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.dispatcher.DispatcherConfigs;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void doublesFromTheInitialDelayAndCaps() {
    RetryPolicy policy = new RetryPolicy(5_000, 300_000, 0.2, () -> 0.5);
    assertEquals(5_000, policy.delayMs(1));
    assertEquals(10_000, policy.delayMs(2));
    assertEquals(20_000, policy.delayMs(3));
    assertEquals(160_000, policy.delayMs(6));
    assertEquals(300_000, policy.delayMs(7));
    assertEquals(300_000, policy.delayMs(1_000));
    assertEquals(300_000, policy.maxMs());
  }

  @Test
  void subSecondSchedulesWork() {
    RetryPolicy policy = new RetryPolicy(50, 300, 0.2, () -> 0.5);
    assertEquals(50, policy.delayMs(1));
    assertEquals(100, policy.delayMs(2));
    assertEquals(200, policy.delayMs(3));
    assertEquals(300, policy.delayMs(4));
  }

  @Test
  void jitterSpreadsByTwentyPercentEitherWay() {
    assertEquals(4_000, new RetryPolicy(5_000, 300_000, 0.2, () -> 0.0).delayMs(1));
    assertEquals(240_000, new RetryPolicy(5_000, 300_000, 0.2, () -> 0.0).delayMs(20));
    assertEquals(360_000, new RetryPolicy(5_000, 300_000, 0.2, () -> 0.999_999_9).delayMs(20));
    RetryPolicy standard = RetryPolicy.standard();
    for (int i = 0; i < 1_000; i++) {
      long delay = standard.delayMs(3);
      assertTrue(delay >= 16_000 && delay <= 24_000, "delay " + delay);
    }
  }

  @Test
  void followsTheConfiguredSchedule() {
    DispatcherConfig config = DispatcherConfigs.of(new JsonObject()
        .put("dispatcher.retry-initial-ms", 200)
        .put("dispatcher.retry-max-ms", 1_000));
    RetryPolicy policy = RetryPolicy.from(config);
    for (int i = 0; i < 200; i++) {
      long first = policy.delayMs(1);
      long capped = policy.delayMs(10);
      assertTrue(first >= 160 && first <= 240, "first retry after " + first);
      assertTrue(capped >= 800 && capped <= 1_200, "capped retry after " + capped);
    }
  }

  @Test
  void neverAsksForLessThanOneMillisecond() {
    assertEquals(1, new RetryPolicy(1, 300, 0.5, () -> 0.0).delayMs(1));
  }

  @Test
  void refusesANonsensicalSchedule() {
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, 300, 0.2, () -> 0.5));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(10, 5, 0.2, () -> 0.5));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(5, 300, 1.0, () -> 0.5));
  }
}
