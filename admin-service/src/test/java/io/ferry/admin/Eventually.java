package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;

/** Waits a little for asynchronous effects such as published events. */
final class Eventually {

  private Eventually() {
  }

  static void assertTrue(Callable<Boolean> condition) throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(10);
    }
    fail("condition not met within 5 s");
  }
}
