package io.ferry.system;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients of a crash test saw, message by message: how each push was answered, every delivery
 * (when its pull started and ended, how many kills had happened by then) and how each delivery was
 * resolved. Recording is thread-safe; {@link CrashVerdict} judges it afterwards, so no check depends on
 * the order in which client threads happened to record.
 */
final class MessageLedger {

  /**
   * How a push was answered. IN_DOUBT: no answer (the client gave up, the connection died) or a 504
   * ({@link #answeredInDoubt}); its messages may or may not exist, so neither missing nor delivered is wrong.
   * REJECTED: any other error status, which says the push was not applied; its messages must never appear.
   */
  enum Push { IN_DOUBT, OK, REJECTED, NEVER_SENT }

  /**
   * The status Ferry answers a request with when it was handed to the instance that serves it and no answer
   * came (OUTCOME_UNKNOWN, 504 Gateway Timeout): it may or may not have been applied.
   */
  static final int OUTCOME_UNKNOWN_STATUS = 504;

  enum Outcome {
    PENDING, ACKED, ACK_REFUSED, ACK_IN_DOUBT, ACK_FAILED,
    RETRIED, RETRY_REFUSED, RETRY_IN_DOUBT, RETRY_FAILED, LEFT_TO_EXPIRE
  }

  /** One lease of a message as a client received it. Times are {@link System#nanoTime()}. */
  static final class Delivery {
    final long pullStartNs;
    final long pullEndNs;
    final int killsAtStart;
    final int killsAtEnd;
    final int visibilityMs;
    final int attempts;
    final boolean drain;
    Outcome outcome = Outcome.PENDING;
    long resolveSentNs;
    long resolvedNs;

    Delivery(long pullStartNs, long pullEndNs, int killsAtStart, int killsAtEnd, int visibilityMs, int attempts,
        boolean drain) {
      this.pullStartNs = pullStartNs;
      this.pullEndNs = pullEndNs;
      this.killsAtStart = killsAtStart;
      this.killsAtEnd = killsAtEnd;
      this.visibilityMs = visibilityMs;
      this.attempts = attempts;
      this.drain = drain;
    }

    @Override
    public String toString() {
      return (drain ? "drain" : "pull") + "[t=" + ms(pullStartNs) + ".." + ms(pullEndNs) + "ms kills="
          + killsAtStart + ".." + killsAtEnd + " vis=" + visibilityMs + " attempts=" + attempts + " -> " + outcome
          + (resolvedNs == 0 ? "" : " sent " + ms(resolveSentNs) + " answered " + ms(resolvedNs)) + "]";
    }
  }

  /** Everything known about one message; guarded by its own monitor. */
  static final class Entry {
    final long key;
    Push push;
    int pushStatus;
    long pushSentNs;
    long pushAnsweredNs;
    final List<Delivery> deliveries = new ArrayList<>(1);

    Entry(long key, Push push) {
      this.key = key;
      this.push = push;
    }

    synchronized List<Delivery> snapshot() {
      return new ArrayList<>(deliveries);
    }

    @Override
    public synchronized String toString() {
      return QueueClient.describe(key) + " push=" + push + (pushStatus == 0 ? "" : "(" + pushStatus + ")")
          + " sent " + ms(pushSentNs) + "ms answered " + ms(pushAnsweredNs) + "ms deliveries=" + deliveries;
    }
  }

  private static final long ORIGIN = System.nanoTime();

  private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicInteger kills = new AtomicInteger();
  final AtomicLong pushRequestsOk = new AtomicLong();
  final AtomicLong pushedOk = new AtomicLong();
  // Push requests with no answer at all; those answered 504 are counted apart (and among the error statuses).
  final AtomicLong pushRequestsInDoubt = new AtomicLong();
  final AtomicLong pushRequestsAnsweredInDoubt = new AtomicLong();
  final AtomicLong pushRequestsNotSent = new AtomicLong();
  final AtomicLong pushRequestsRejected = new AtomicLong();
  final AtomicLong acksConfirmed = new AtomicLong();
  final AtomicLong acksRefused = new AtomicLong();
  final AtomicLong acksInDoubt = new AtomicLong();
  final AtomicLong acksFailed = new AtomicLong();
  final AtomicLong retriesConfirmed = new AtomicLong();
  final AtomicLong pullRequestsFailed = new AtomicLong();
  // An ackCount that disagrees with the leases the warnings name would make the per-lease reading wrong.
  final AtomicLong ackCountMismatches = new AtomicLong();
  final Map<Integer, AtomicLong> errorStatuses = new ConcurrentHashMap<>();

  static long ms(long nanos) {
    return nanos == 0 ? 0 : (nanos - ORIGIN) / 1_000_000;
  }

  int kills() {
    return kills.get();
  }

  /**
   * Called once a kill -9 has completed (the process is gone), or anything else has made Ferry drop the leases
   * it held (an outage of its database, after which messaging reloads its state as at a restart).
   */
  void killed() {
    kills.incrementAndGet();
  }

  /**
   * Requests that did not get a 200: error statuses, refused connections and answers that never came (an
   * ack call answered with an error status counts twice, which only matters to a count expected to be 0).
   */
  long failedRequests() {
    return errorStatuses.values().stream().mapToLong(AtomicLong::get).sum() + pushRequestsInDoubt.get()
        + pushRequestsNotSent.get() + pullRequestsFailed.get() + acksInDoubt.get() + acksFailed.get();
  }

  /** What {@link #failedRequests} is made of, for a report. */
  String failedRequestsByKind() {
    return "statuses " + errorStatuses + ", pushes in doubt " + pushRequestsInDoubt.get() + " unanswered + "
        + pushRequestsAnsweredInDoubt.get() + " answered " + OUTCOME_UNKNOWN_STATUS + ", pushes not sent "
        + pushRequestsNotSent.get() + ", pulls failed " + pullRequestsFailed.get() + ", acks in doubt "
        + acksInDoubt.get() + ", acks failed " + acksFailed.get() + ServerErrors.summary();
  }

  /** Messages pushed with a 200 that have not been confirmed acked yet (producers' back-pressure). */
  long outstanding() {
    return pushedOk.get() - acksConfirmed.get();
  }

  void sending(Collection<Long> keys, long sentNs) {
    for (long key : keys) {
      Entry entry = new Entry(key, Push.IN_DOUBT);
      entry.pushSentNs = sentNs;
      entries.put(key, entry);
    }
  }

  /** Whether an answer with {@code status} leaves the request in doubt: it may or may not have been applied. */
  static boolean answeredInDoubt(int status) {
    return status == OUTCOME_UNKNOWN_STATUS;
  }

  void pushAnswered(Collection<Long> keys, int status, long answeredNs) {
    Push push = status == 200 ? Push.OK : answeredInDoubt(status) ? Push.IN_DOUBT : Push.REJECTED;
    switch (push) {
      case OK -> {
        pushRequestsOk.incrementAndGet();
        pushedOk.addAndGet(keys.size());
      }
      case IN_DOUBT -> {
        pushRequestsAnsweredInDoubt.incrementAndGet();
        errorStatus(status);
      }
      default -> {
        pushRequestsRejected.incrementAndGet();
        errorStatus(status);
      }
    }
    for (long key : keys) {
      Entry entry = entries.get(key);
      synchronized (entry) {
        entry.push = push;
        entry.pushStatus = status;
        entry.pushAnsweredNs = answeredNs;
      }
    }
  }

  /** The connection was refused: these messages cannot exist, so seeing one later is a phantom. */
  void pushNotSent(Collection<Long> keys) {
    pushRequestsNotSent.incrementAndGet();
    for (long key : keys) {
      Entry entry = entries.get(key);
      synchronized (entry) {
        entry.push = Push.NEVER_SENT;
      }
    }
  }

  void pushInDoubt() {
    pushRequestsInDoubt.incrementAndGet();
  }

  void errorStatus(int status) {
    errorStatuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
  }

  Delivery delivered(long key, long pullStartNs, long pullEndNs, int killsAtStart, int visibilityMs, int attempts,
      boolean drain) {
    Delivery delivery = new Delivery(pullStartNs, pullEndNs, killsAtStart, kills.get(), visibilityMs, attempts,
        drain);
    Entry entry = entries.computeIfAbsent(key, k -> new Entry(k, Push.NEVER_SENT));
    synchronized (entry) {
      entry.deliveries.add(delivery);
    }
    return delivery;
  }

  void resolved(long key, Delivery delivery, Outcome outcome, long sentNs, long answeredNs) {
    Entry entry = entries.get(key);
    synchronized (entry) {
      delivery.outcome = outcome;
      delivery.resolveSentNs = sentNs;
      delivery.resolvedNs = answeredNs;
    }
    switch (outcome) {
      case ACKED -> acksConfirmed.incrementAndGet();
      case ACK_REFUSED, RETRY_REFUSED -> acksRefused.incrementAndGet();
      case ACK_IN_DOUBT, RETRY_IN_DOUBT -> acksInDoubt.incrementAndGet();
      case ACK_FAILED, RETRY_FAILED -> acksFailed.incrementAndGet();
      case RETRIED -> retriesConfirmed.incrementAndGet();
      default -> {
      }
    }
  }

  Collection<Entry> entries() {
    return entries.values();
  }
}
