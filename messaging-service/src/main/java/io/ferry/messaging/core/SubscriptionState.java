package io.ferry.messaging.core;

import io.ferry.contracts.model.SubscriptionSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The hot delivery state of one subscription. A message it has not resolved is in exactly one place: the
 * ready set, the delayed set, the missed set (given up on; held until a redelivery is asked for), or (while
 * leased or being written) only in {@code active}. Messages that were
 * delivered before also have a {@link Delivery} in {@code active} carrying their attempts; never-delivered
 * ones are just a sequence, which is what keeps a large backlog small. The lease queue is cleaned lazily: an
 * entry whose delivery has moved on is skipped when it surfaces.
 */
final class SubscriptionState {

  private record LeaseEntry(Delivery delivery, String leaseId, long expiresAtMs) {
  }

  SubscriptionSpec spec;
  final QueueState queue;
  boolean removed;
  /** Acks since the subscription was created, as far as they are durable. */
  long acknowledgedCount;
  final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final SequenceSet ready = new SequenceSet();
  private final DelayedSet delayed = new DelayedSet();
  private final SequenceSet missed = new SequenceSet();
  // When each missed message was missed (0: before that was recorded), for redelivering what was missed since.
  private final Map<Long, Long> missedAtMs = new HashMap<>();
  private final Map<Long, Delivery> active = new HashMap<>();
  private final Map<String, Delivery> byLease = new HashMap<>();
  private final PriorityQueue<LeaseEntry> leases =
      new PriorityQueue<>(Comparator.comparingLong(LeaseEntry::expiresAtMs));

  SubscriptionState(SubscriptionSpec spec, QueueState queue) {
    this.spec = spec;
    this.queue = queue;
  }

  String id() {
    return spec.id();
  }

  /** A message this subscription has never been delivered. */
  void addFresh(long sequence, long availableAtMs, long nowMs) {
    if (availableAtMs > nowMs) {
      delayed.add(availableAtMs, sequence);
    } else {
      ready.add(sequence);
    }
  }

  /** A message with a delivery history (recovered from the store). */
  void addDelivery(Delivery delivery, long nowMs) {
    active.put(delivery.sequence, delivery);
    schedule(delivery, nowMs);
  }

  /**
   * A delivery out on a lease that the shard's previous owner handed over: leased here as it was there, so that
   * the lease's holder can still settle it, and its message comes back only once the lease expires.
   */
  void addLeased(Delivery delivery, String leaseId, long expiresAtMs) {
    active.put(delivery.sequence, delivery);
    delivery.state = Delivery.State.LEASED;
    delivery.leaseId = leaseId;
    delivery.leaseExpiresAtMs = expiresAtMs;
    byLease.put(leaseId, delivery);
    leases.add(new LeaseEntry(delivery, leaseId, expiresAtMs));
  }

  /** Every delivery out on a lease now. */
  void forEachLeased(Consumer<Delivery> action) {
    for (Delivery delivery : active.values()) {
      if (delivery.state == Delivery.State.LEASED) {
        action.accept(delivery);
      }
    }
  }

  void schedule(Delivery delivery, long nowMs) {
    if (delivery.availableAtMs > nowMs) {
      delivery.state = Delivery.State.DELAYED;
      delayed.add(delivery.availableAtMs, delivery.sequence);
    } else {
      delivery.state = Delivery.State.READY;
      ready.add(delivery.sequence);
    }
  }

  boolean hasReady() {
    return !ready.isEmpty();
  }

  /** Leases the lowest ready message, or returns {@code null} when none is ready. */
  Delivery leaseNext(String leaseId, long expiresAtMs) {
    for (long sequence; (sequence = ready.pollFirst()) >= 0; ) {
      int index = queue.log.find(sequence);
      if (index < 0 || queue.log.isDeleting(index)) {
        // Defensive: removals take messages out of every subscription, so this should not happen.
        Delivery stale = active.remove(sequence);
        if (stale != null && stale.leaseId != null) {
          byLease.remove(stale.leaseId);
        }
        continue;
      }
      Delivery delivery = active.get(sequence);
      if (delivery == null) {
        delivery = new Delivery(sequence, 0, 0);
        active.put(sequence, delivery);
      } else if (delivery.leaseId != null) {
        byLease.remove(delivery.leaseId);
      }
      delivery.state = Delivery.State.LEASED;
      // Saturates rather than wrapping negative: a listener's deliveries are retried without limit.
      if (delivery.attempts < Integer.MAX_VALUE) {
        delivery.attempts++;
      }
      delivery.leaseId = leaseId;
      delivery.leaseExpiresAtMs = expiresAtMs;
      byLease.put(leaseId, delivery);
      leases.add(new LeaseEntry(delivery, leaseId, expiresAtMs));
      return delivery;
    }
    return null;
  }

  /** The delivery the lease acts on: only the latest lease of a delivery, and only until acked or retried. */
  Delivery actionable(String leaseId) {
    Delivery delivery = byLease.get(leaseId);
    if (delivery == null || !leaseId.equals(delivery.leaseId)) {
      return null;
    }
    return delivery.state == Delivery.State.LEASED || delivery.state == Delivery.State.READY ? delivery : null;
  }

  /** Takes the lease's delivery out of circulation into {@code state}; {@code null} if the lease cannot act. */
  Delivery claim(String leaseId, Delivery.State state) {
    Delivery delivery = actionable(leaseId);
    if (delivery != null) {
      hold(delivery, state);
    }
    return delivery;
  }

  void hold(Delivery delivery, Delivery.State state) {
    if (delivery.state == Delivery.State.READY) {
      ready.remove(delivery.sequence);
    }
    if (delivery.leaseId != null) {
      byLease.remove(delivery.leaseId);
      delivery.leaseId = null;
    }
    delivery.state = state;
  }

  /** Whether the delivery is still this subscription's state for its message (not removed meanwhile). */
  boolean isCurrent(Delivery delivery) {
    return !removed && active.get(delivery.sequence) == delivery;
  }

  /** Drops a delivery that was resolved or whose message is gone. */
  void forget(Delivery delivery) {
    if (active.get(delivery.sequence) == delivery) {
      active.remove(delivery.sequence);
      if (delivery.leaseId != null) {
        byLease.remove(delivery.leaseId);
      }
    }
  }

  /** An expired lease's delivery back to the ready set; its lease id stays usable for a late ack. */
  void requeue(Delivery delivery) {
    delivery.state = Delivery.State.READY;
    ready.add(delivery.sequence);
  }

  /** A missed message recovered from the store, or put back after its redelivery could not be written. */
  void addMissed(long sequence, long missedAt) {
    missed.add(sequence);
    missedAtMs.put(sequence, missedAt);
  }

  /** The delivery's miss is durable: from now on its message is only a sequence in the missed set. */
  void markMissed(Delivery delivery, long missedAt) {
    forget(delivery);
    addMissed(delivery.sequence, missedAt);
  }

  /**
   * Takes a missed message out of the missed set into a delivery being redelivered (attempts reset), or
   * returns {@code null} if the message is not missed.
   */
  Delivery takeMissed(long sequence) {
    if (!missed.remove(sequence)) {
      return null;
    }
    // While its redelivery is written, the delivery keeps when it was missed, in case the write fails.
    Delivery delivery = new Delivery(sequence, 0, missedAtMs.getOrDefault(sequence, 0L));
    missedAtMs.remove(sequence);
    delivery.state = Delivery.State.REDELIVERING;
    active.put(sequence, delivery);
    return delivery;
  }

  boolean isMissed(long sequence) {
    return missed.contains(sequence);
  }

  int missedCount() {
    return missed.size();
  }

  int delayedCount() {
    return delayed.size();
  }

  /** Deliveries out on a lease now; walks only the messages with a delivery history. */
  int leasedCount() {
    int leased = 0;
    for (Delivery delivery : active.values()) {
      if (delivery.state == Delivery.State.LEASED) {
        leased++;
      }
    }
    return leased;
  }

  /** When the missed message was missed; 0 when unknown or not missed. */
  long missedAt(long sequence) {
    return missedAtMs.getOrDefault(sequence, 0L);
  }

  /** Up to {@code limit} missed sequences, lowest (oldest message) first. */
  List<Long> missedSequences(int limit) {
    List<Long> sequences = new ArrayList<>(Math.min(limit, missed.size()));
    missed.forEach(sequence -> {
      if (sequences.size() < limit) {
        sequences.add(sequence);
      }
    });
    return sequences;
  }

  int attemptsOf(long sequence) {
    Delivery delivery = active.get(sequence);
    return delivery == null ? 0 : delivery.attempts;
  }

  boolean promoteDue(long nowMs) {
    return delayed.pollDue(nowMs, sequence -> {
      Delivery delivery = active.get(sequence);
      if (delivery != null) {
        delivery.state = Delivery.State.READY;
      }
      ready.add(sequence);
    });
  }

  /** Deliveries whose current lease expired by {@code nowMs}, still in the LEASED state. */
  List<Delivery> expiredLeases(long nowMs) {
    List<Delivery> expired = new ArrayList<>();
    while (!leases.isEmpty() && leases.peek().expiresAtMs() <= nowMs) {
      LeaseEntry entry = leases.poll();
      Delivery delivery = entry.delivery();
      if (delivery.state == Delivery.State.LEASED && entry.leaseId().equals(delivery.leaseId)
          && isCurrent(delivery)) {
        expired.add(delivery);
      }
    }
    return expired;
  }

  /** Removes the message from this subscription's state, wherever it is ({@code freshAvailableAtMs}: its due time). */
  void drop(long sequence, long freshAvailableAtMs) {
    ready.remove(sequence);
    missed.remove(sequence);
    missedAtMs.remove(sequence);
    Delivery delivery = active.remove(sequence);
    if (delivery == null) {
      delayed.remove(freshAvailableAtMs, sequence);
      return;
    }
    if (delivery.leaseId != null) {
      byLease.remove(delivery.leaseId);
    }
    if (delivery.state == Delivery.State.DELAYED) {
      delayed.remove(delivery.availableAtMs, sequence);
    }
  }

  /** Removes every message up to {@code last} from this subscription's state. */
  void dropThrough(long last) {
    ready.removeThrough(last);
    delayed.removeThrough(last);
    missed.removeThrough(last);
    missedAtMs.keySet().removeIf(sequence -> sequence <= last);
    for (Iterator<Delivery> it = active.values().iterator(); it.hasNext(); ) {
      Delivery delivery = it.next();
      if (delivery.sequence <= last) {
        it.remove();
        if (delivery.leaseId != null) {
          byLease.remove(delivery.leaseId);
        }
      }
    }
  }

  /**
   * Every message this subscription has not resolved (missed ones included), except those whose resolution
   * is being written (the writer of a resolution already counted it as resolved).
   */
  void forEachUnresolved(LongConsumer action) {
    ready.forEach(action);
    delayed.forEach(action);
    missed.forEach(action);
    for (Delivery delivery : active.values()) {
      if (delivery.state != Delivery.State.READY && delivery.state != Delivery.State.DELAYED
          && delivery.state != Delivery.State.RESOLVING) {
        action.accept(delivery.sequence);
      }
    }
  }
}
