package io.ferry.admin.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts authentication failures per client over a sliding window. A client with more than
 * {@code maxFailures} failures inside the window is throttled until enough of them have aged out.
 * Throttled attempts are not counted, so a client is never locked out for longer than the window.
 */
public final class FailureThrottle {

  private static final int MAX_TRACKED_CLIENTS = 10_000;

  private final int maxFailures;
  private final long windowMs;
  private final LongSupplier clock;
  private final Map<String, Deque<Long>> failures = new HashMap<>();

  public FailureThrottle(int maxFailures, long windowMs, LongSupplier clock) {
    this.maxFailures = maxFailures;
    this.windowMs = windowMs;
    this.clock = clock;
  }

  public synchronized boolean isThrottled(String client) {
    Deque<Long> times = failures.get(client);
    if (times == null) {
      return false;
    }
    expire(times, clock.getAsLong());
    if (times.isEmpty()) {
      failures.remove(client);
      return false;
    }
    return times.size() > maxFailures;
  }

  public synchronized void recordFailure(String client) {
    long now = clock.getAsLong();
    if (failures.size() >= MAX_TRACKED_CLIENTS && !failures.containsKey(client)) {
      forgetQuietClients(now);
    }
    Deque<Long> times = failures.computeIfAbsent(client, c -> new ArrayDeque<>());
    expire(times, now);
    times.addLast(now);
  }

  private void forgetQuietClients(long now) {
    for (Iterator<Deque<Long>> it = failures.values().iterator(); it.hasNext(); ) {
      Deque<Long> times = it.next();
      expire(times, now);
      if (times.isEmpty()) {
        it.remove();
      }
    }
  }

  private void expire(Deque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
      times.removeFirst();
    }
  }
}
