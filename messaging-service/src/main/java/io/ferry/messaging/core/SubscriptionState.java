package io.ferry.messaging.core;

import io.ferry.contracts.model.SubscriptionSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The hot delivery state of one subscription: every unresolved delivery by sequence, the ready set in
 * sequence order, delayed deliveries by due time, leases by expiry, and parked lease requests. The priority
 * queues are cleaned lazily: an entry whose delivery has moved on is skipped when it surfaces.
 */
final class SubscriptionState {

  private record LeaseEntry(Delivery delivery, String leaseId, long expiresAtMs) {
  }

  SubscriptionSpec spec;
  final QueueState queue;
  boolean removed;
  final Map<Long, Delivery> unresolved = new HashMap<>();
  final TreeMap<Long, Delivery> ready = new TreeMap<>();
  final Map<String, Delivery> byLease = new HashMap<>();
  final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final PriorityQueue<Delivery> delayed =
      new PriorityQueue<>(Comparator.comparingLong((Delivery d) -> d.availableAtMs));
  private final PriorityQueue<LeaseEntry> leases =
      new PriorityQueue<>(Comparator.comparingLong(LeaseEntry::expiresAtMs));

  SubscriptionState(SubscriptionSpec spec, QueueState queue) {
    this.spec = spec;
    this.queue = queue;
  }

  String id() {
    return spec.id();
  }

  void add(Delivery delivery, long nowMs) {
    unresolved.put(delivery.sequence, delivery);
    schedule(delivery, nowMs);
  }

  void schedule(Delivery delivery, long nowMs) {
    if (delivery.availableAtMs > nowMs) {
      delivery.state = Delivery.State.DELAYED;
      delayed.add(delivery);
    } else {
      delivery.state = Delivery.State.READY;
      ready.put(delivery.sequence, delivery);
    }
  }

  void lease(Delivery delivery, String leaseId, long expiresAtMs) {
    ready.remove(delivery.sequence);
    if (delivery.leaseId != null) {
      byLease.remove(delivery.leaseId);
    }
    delivery.state = Delivery.State.LEASED;
    delivery.attempts++;
    delivery.leaseId = leaseId;
    delivery.leaseExpiresAtMs = expiresAtMs;
    byLease.put(leaseId, delivery);
    leases.add(new LeaseEntry(delivery, leaseId, expiresAtMs));
  }

  // Only the latest lease of a delivery acts on it, and only until it is acked or retried.
  Delivery actionable(String leaseId) {
    Delivery delivery = byLease.get(leaseId);
    if (delivery == null || !leaseId.equals(delivery.leaseId)) {
      return null;
    }
    return delivery.state == Delivery.State.LEASED || delivery.state == Delivery.State.READY ? delivery : null;
  }

  void hold(Delivery delivery, Delivery.State writing) {
    ready.remove(delivery.sequence);
    byLease.remove(delivery.leaseId);
    delivery.leaseId = null;
    delivery.state = writing;
  }

  void forget(Delivery delivery) {
    unresolved.remove(delivery.sequence);
    ready.remove(delivery.sequence);
    if (delivery.leaseId != null) {
      byLease.remove(delivery.leaseId);
    }
  }

  boolean promoteDue(long nowMs) {
    boolean moved = false;
    while (!delayed.isEmpty() && delayed.peek().availableAtMs <= nowMs) {
      Delivery delivery = delayed.poll();
      if (delivery.state == Delivery.State.DELAYED && unresolved.get(delivery.sequence) == delivery) {
        delivery.state = Delivery.State.READY;
        ready.put(delivery.sequence, delivery);
        moved = true;
      }
    }
    return moved;
  }

  List<Delivery> expireLeases(long nowMs) {
    List<Delivery> expired = new ArrayList<>();
    while (!leases.isEmpty() && leases.peek().expiresAtMs() <= nowMs) {
      LeaseEntry entry = leases.poll();
      Delivery delivery = entry.delivery();
      if (delivery.state == Delivery.State.LEASED && entry.leaseId().equals(delivery.leaseId)) {
        delivery.state = Delivery.State.READY;
        ready.put(delivery.sequence, delivery);
        expired.add(delivery);
      }
    }
    return expired;
  }
}
