package io.ferry.admin.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * Counts authentication failures per client over a sliding window. A client with more than
 * {@code maxFailures} failures inside the window is throttled until enough of them have aged out.
 * Throttled attempts are not counted, so a client is never locked out for longer than the window. Each admin
 * instance counts on its own, in memory: a shared count would make every failed guess a database write
 * (docs/security.md).
 */
public final class FailureThrottle {

  static final int MAX_TRACKED_CLIENTS = 10_000;

  private final int maxFailures;
  private final long windowMs;
  private final LongSupplier clock;
  private final int maxTrackedClients;
  // Least recently seen first: a flood of new addresses (an IPv6 range is plenty) costs O(1) each and pushes
  // out the stalest entry, instead of growing the map or rescanning all of it on every new address.
  private final LinkedHashMap<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

  public FailureThrottle(int maxFailures, long windowMs, LongSupplier clock) {
    this(maxFailures, windowMs, clock, MAX_TRACKED_CLIENTS);
  }

  FailureThrottle(int maxFailures, long windowMs, LongSupplier clock, int maxTrackedClients) {
    this.maxFailures = maxFailures;
    this.windowMs = windowMs;
    this.clock = clock;
    this.maxTrackedClients = maxTrackedClients;
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
    Deque<Long> times = failures.get(client);
    if (times == null) {
      if (failures.size() >= maxTrackedClients) {
        Iterator<String> stalest = failures.keySet().iterator();
        stalest.next();
        stalest.remove();
      }
      times = new ArrayDeque<>();
      failures.put(client, times);
    }
    expire(times, now);
    times.addLast(now);
  }

  synchronized int trackedClients() {
    return failures.size();
  }

  private void expire(Deque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
      times.removeFirst();
    }
  }
}
