package io.ferry.messaging.core;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time that only moves when a test moves it. Timers fire, on the context that set them, when
 * {@link #advance} reaches their due time, as a Vert.x timer would once that much wall time had passed.
 */
final class ManualClock implements EngineClock {

  private record Timer(long dueAtMs, Context context, Runnable action) {
  }

  private final Map<Long, Timer> timers = new LinkedHashMap<>();
  private long nowMs;
  private long nextTimerId = 1;

  ManualClock(long startMs) {
    this.nowMs = startMs;
  }

  @Override
  public synchronized long nowMs() {
    return nowMs;
  }

  @Override
  public synchronized long setTimer(long delayMs, Runnable action) {
    long id = nextTimerId++;
    timers.put(id, new Timer(nowMs + delayMs, Vertx.currentContext(), action));
    return id;
  }

  @Override
  public synchronized void cancelTimer(long timerId) {
    timers.remove(timerId);
  }

  /** Moves time forward by {@code ms} and hands every timer now due to its context. */
  void advance(long ms) {
    List<Timer> due = new ArrayList<>();
    synchronized (this) {
      nowMs += ms;
      for (Iterator<Timer> it = timers.values().iterator(); it.hasNext(); ) {
        Timer timer = it.next();
        if (timer.dueAtMs() <= nowMs) {
          due.add(timer);
          it.remove();
        }
      }
    }
    due.forEach(timer -> timer.context().runOnContext(v -> timer.action().run()));
  }

  /** Forgets every pending timer (their engine is gone). */
  synchronized void clearTimers() {
    timers.clear();
  }
}
