package io.ferry.messaging.core;

import io.vertx.core.Vertx;

/**
 * The engine's time. Every deadline the engine keeps (lease expiry, delays, retries, retention, the end of a
 * long poll, event timestamps) is read from or scheduled on this clock, so a test can set time instead of
 * waiting for it.
 */
public interface EngineClock {

  /** Milliseconds since the epoch. */
  long nowMs();

  /** Runs {@code action} on the caller's context once {@code delayMs} have passed; returns an id to cancel it. */
  long setTimer(long delayMs, Runnable action);

  void cancelTimer(long timerId);

  /** Wall-clock time with Vert.x timers: what a running node uses. */
  static EngineClock system(Vertx vertx) {
    return new EngineClock() {
      @Override
      public long nowMs() {
        return System.currentTimeMillis();
      }

      @Override
      public long setTimer(long delayMs, Runnable action) {
        return vertx.setTimer(delayMs, id -> action.run());
      }

      @Override
      public void cancelTimer(long timerId) {
        vertx.cancelTimer(timerId);
      }
    };
  }
}
