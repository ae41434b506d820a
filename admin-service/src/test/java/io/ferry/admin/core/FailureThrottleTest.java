package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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

  // An IPv6 range gives an attacker any number of client addresses: each new one must cost O(1), and the
  // table stays bounded, dropping the clients seen least recently.
  @Test
  void aFloodOfNewClientsStaysBoundedAndCheap() {
    String attacked = "victim";
    for (int i = 0; i <= 20; i++) {
      throttle.recordFailure(attacked);
    }
    assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
      for (int i = 0; i < 60_000; i++) {
        throttle.recordFailure("2001:db8::" + Integer.toHexString(i));
        assertFalse(throttle.isThrottled("2001:db8::" + Integer.toHexString(i)));
      }
    });
    assertTrue(throttle.trackedClients() <= FailureThrottle.MAX_TRACKED_CLIENTS, "" + throttle.trackedClients());
    assertFalse(throttle.isThrottled(attacked), "the least recently seen client made room");
    FailureThrottle small = new FailureThrottle(1, 60_000, now::get, 2);
    small.recordFailure("a");
    small.recordFailure("a");
    small.recordFailure("b");
    assertTrue(small.isThrottled("a"));
    small.recordFailure("c");
    assertEquals(2, small.trackedClients());
    assertFalse(small.isThrottled("b"), "b was seen least recently");
    assertTrue(small.isThrottled("a"));
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
