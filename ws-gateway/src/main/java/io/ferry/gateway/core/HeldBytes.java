package io.ferry.gateway.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes the gateway holds in memory for its sockets: each socket's live frames held while its replay
 * runs, the unsent rest of its replay page, and what waits to be written to it. Each socket has its own
 * bound, and all of them together share one; when the total would pass, the socket holding the most is
 * closed to make room, so that no client, however many sockets it opens and however little it reads, can
 * fill the heap. Thread-safe: the sockets of every event loop share it.
 */
public final class HeldBytes {

  private final long maxPerSocket;
  private final long maxTotal;
  private final AtomicLong total = new AtomicLong();
  // Bytes of the sockets already told to close: they are about to be released, so they do not count again.
  private final AtomicLong releasing = new AtomicLong();
  private final Set<Account> accounts = ConcurrentHashMap.newKeySet();
  private final AtomicLong closedBehind = new AtomicLong();

  public HeldBytes(long maxPerSocket, long maxTotal) {
    this.maxPerSocket = maxPerSocket;
    this.maxTotal = maxTotal;
  }

  /** Bytes held now, over every socket. */
  public long total() {
    return total.get();
  }

  /** Sockets closed with 1013 so far: they fell behind, or held the most when the total was reached. */
  public long closedBehind() {
    return closedBehind.get();
  }

  /**
   * Opens one socket's account. {@code evict} is called at most once, from any thread, when the socket is
   * chosen to make room; it must close the socket (which closes the account).
   */
  Account open(Runnable evict) {
    Account account = new Account(evict);
    accounts.add(account);
    return account;
  }

  private Account largest() {
    Account largest = null;
    for (Account account : accounts) {
      if (!account.evicted.get() && (largest == null || account.held > largest.held)) {
        largest = account;
      }
    }
    return largest;
  }

  /** One socket's share. Changed only on the socket's context; read from anywhere. */
  final class Account {

    private final Runnable evict;
    private final AtomicBoolean evicted = new AtomicBoolean();
    private volatile long held;
    // Guarded by this account: set by whoever evicts it, taken back when it closes.
    private long releasingAtEviction;
    private volatile boolean closed;

    private Account(Runnable evict) {
      this.evict = evict;
    }

    long held() {
      return held;
    }

    /**
     * Counts {@code bytes} more for this socket. False, with nothing counted, when the socket must be closed
     * instead: they would pass its own bound, or the total's and this socket holds the most.
     */
    boolean add(long bytes) {
      if (closed || evicted.get() || held + bytes > maxPerSocket) {
        return false;
      }
      held += bytes;
      if (total.addAndGet(bytes) - releasing.get() <= maxTotal) {
        return true;
      }
      Account victim = largest();
      if (victim == null || victim == this) {
        remove(bytes);
        return false;
      }
      victim.evict();
      return true;
    }

    /** Bytes no longer held: written, or dropped. Ignored once closed. */
    void remove(long bytes) {
      if (!closed) {
        held -= bytes;
        total.addAndGet(-bytes);
      }
    }

    /** The socket is being closed with 1013. */
    void closingBehind() {
      closedBehind.incrementAndGet();
    }

    /** Releases everything the socket held; what it counted later is ignored. */
    void close() {
      if (closed) {
        return;
      }
      closed = true;
      accounts.remove(this);
      total.addAndGet(-held);
      held = 0;
      synchronized (this) {
        releasing.addAndGet(-releasingAtEviction);
        releasingAtEviction = 0;
      }
    }

    private void evict() {
      if (!evicted.compareAndSet(false, true)) {
        return;
      }
      synchronized (this) {
        if (!closed) {
          releasingAtEviction = held;
          releasing.addAndGet(releasingAtEviction);
        }
      }
      evict.run();
    }
  }
}
