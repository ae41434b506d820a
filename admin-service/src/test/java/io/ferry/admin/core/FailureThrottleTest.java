package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final FailureThrottle throttle = new FailureThrottle(20, 60_000, now::get);

  @Test
  void throttlesAfterMoreThanTheLimitWithinTheWindowUntilItPasses() {
    for (int i = 0; i < 20; i++) {
      throttle.recordFailure("c");
      now.addAndGet(100);
    }
    assertFalse(throttle.isThrottled("c"), "20 failures are allowed");
    throttle.recordFailure("c");
    assertTrue(throttle.isThrottled("c"));
    assertFalse(throttle.isThrottled("other"));
    now.addAndGet(55_000);
    assertTrue(throttle.isThrottled("c"), "still inside the window");
    now.addAndGet(5_000);
    assertFalse(throttle.isThrottled("c"), "the oldest failures have aged out");
  }

  @Test
  void failuresSpreadBeyondTheWindowNeverThrottle() {
    for (int i = 0; i < 100; i++) {
      throttle.recordFailure("slow");
      now.addAndGet(3_001);
      assertFalse(throttle.isThrottled("slow"));
    }
  }
}
