package io.ferry.messaging.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of appends handed to the store and not yet durable, shared by every shard of a process so that
 * the bound is on the process's memory however many shards there are. Any thread.
 */
final class AppendBudget {

  private final long maxBytes;
  private final AtomicLong queuedBytes = new AtomicLong();

  AppendBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Whether an append of {@code bytes} may be queued now. One append is always let through, so a bound below
   * a single batch slows producers but never stops them. Shards racing may overshoot the bound by their
   * appends in flight at that moment, which is the bound's purpose (memory stays bounded) all the same.
   */
  boolean admits(long bytes) {
    long queued = queuedBytes.get();
    return queued == 0 || queued + bytes <= maxBytes;
  }

  void add(long bytes) {
    queuedBytes.addAndGet(bytes);
  }

  void release(long bytes) {
    queuedBytes.addAndGet(-bytes);
  }
}
