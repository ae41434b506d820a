package io.ferry.dispatcher.http;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of a sender's webhook exchanges, which all get the same timeout, kept with one timer instead of
 * one per exchange: a Vert.x timer set and cancelled per POST was 1.6–2.8 % of Ferry's CPU delivering to four
 * listeners. Deadlines are taken in the order exchanges start, so the oldest exchange still under way has the
 * earliest one; the timer is armed for it, and when it fires it times out every exchange past its deadline and
 * is armed again for the oldest left. An exchange that ends is only marked (and lets go of its timeout action);
 * its entry leaves when it reaches the head, so the timer fires about once per timeout while exchanges keep
 * starting, whatever their number. Behind one exchange that hangs until its deadline, the ended entries are
 * swept out whenever they have doubled, so the entries held stay within twice those under way.
 */
final class ExchangeDeadlines {

  /** An exchange under way; {@link #end()} it once it has its outcome. */
  static final class Deadline {

    private final long atNanos;
    // Null once ended.
    private volatile Runnable onTimeout;

    private Deadline(long atNanos, Runnable onTimeout) {
      this.atNanos = atNanos;
      this.onTimeout = onTimeout;
    }

    void end() {
      onTimeout = null;
    }

    private boolean ended() {
      return onTimeout == null;
    }
  }

  private static final int MIN_SWEEP = 1024;

  private final Vertx vertx;
  private final long timeoutNanos;
  // Guarded by this: a lane's sender runs on its event loop, but its tests call it from their own threads.
  private final ArrayDeque<Deadline> started = new ArrayDeque<>();
  private boolean armed;
  private int sweepAt = MIN_SWEEP;

  ExchangeDeadlines(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /** Starts the clock of an exchange; {@code onTimeout} runs once if it has not ended by then. */
  Deadline start(Runnable onTimeout) {
    Deadline deadline = new Deadline(System.nanoTime() + timeoutNanos, onTimeout);
    boolean arm;
    synchronized (this) {
      dropEnded();
      if (started.size() >= sweepAt) {
        started.removeIf(Deadline::ended);
        sweepAt = Math.max(MIN_SWEEP, 2 * started.size());
      }
      started.addLast(deadline);
      arm = !armed;
      armed = true;
    }
    if (arm) {
      arm(deadline.atNanos);
    }
    return deadline;
  }

  /** Exchanges under way, or ended but not yet dropped from behind one still under way. */
  synchronized int held() {
    return started.size();
  }

  private void arm(long atNanos) {
    long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(atNanos - System.nanoTime() + 999_999));
    vertx.setTimer(delayMs, id -> fire());
  }

  private void fire() {
    List<Runnable> due = new ArrayList<>();
    boolean rearm;
    long next;
    synchronized (this) {
      long now = System.nanoTime();
      dropEnded();
      while (!started.isEmpty() && started.peekFirst().atNanos - now <= 0) {
        Runnable onTimeout = started.pollFirst().onTimeout;
        if (onTimeout != null) {
          due.add(onTimeout);
        }
        dropEnded();
      }
      rearm = !started.isEmpty();
      armed = rearm;
      next = rearm ? started.peekFirst().atNanos : 0;
    }
    if (rearm) {
      arm(next);
    }
    due.forEach(Runnable::run);
  }

  private void dropEnded() {
    while (!started.isEmpty() && started.peekFirst().ended()) {
      started.pollFirst();
    }
  }
}
