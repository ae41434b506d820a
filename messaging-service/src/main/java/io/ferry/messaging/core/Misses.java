package io.ferry.messaging.core;

import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.SubscriptionStats;
import io.ferry.messaging.store.MessageHeader;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A subscription's missed messages from the outside: its delivery counters, and redelivery on request.
 * A redelivered message is available again with its attempts reset, durably before the answer; its
 * subscription's waiting lease requests receive it at once.
 */
final class Misses {

  // Bounds one write of a redelivery of every missed message of a long outage.
  private static final int REDELIVERIES_PER_COMMIT = 10_000;

  private final EngineRuntime runtime;
  private final Deliveries deliveries;

  Misses(EngineRuntime runtime, Deliveries deliveries) {
    this.runtime = runtime;
    this.deliveries = deliveries;
  }

  Future<SubscriptionStats> stats(SubscriptionState subscription) {
    long acknowledged = subscription.acknowledgedCount;
    long missedCount = subscription.missedCount();
    List<Long> oldest = subscription.missedSequences(SubscriptionStats.MAX_LISTED);
    if (oldest.isEmpty()) {
      return Future.succeededFuture(new SubscriptionStats(acknowledged, missedCount, List.of()));
    }
    return runtime.store.headers(subscription.queue.id(), oldest).map(headers ->
        new SubscriptionStats(acknowledged, missedCount, headers.stream().map(MessageHeader::id).toList()));
  }

  /**
   * Redelivers the missed messages with these ids (every missed message when empty) that were missed at or after
   * {@code missedSinceMs} (negative: whenever); others are ignored.
   */
  Future<RedeliverResult> redeliver(SubscriptionState subscription, List<String> messageIds, long missedSinceMs) {
    if (messageIds.isEmpty()) {
      List<Long> sequences = subscription.missedSequences(Integer.MAX_VALUE);
      if (missedSinceMs >= 0) {
        sequences.removeIf(sequence -> subscription.missedAt(sequence) < missedSinceMs);
      }
      return makeAvailable(subscription, sequences);
    }
    QueueState queue = subscription.queue;
    List<Long> candidates = new ArrayList<>();
    for (String id : new HashSet<>(messageIds)) {
      long sequence = MessageIds.sequenceOf(id);
      if (MessageIds.mayBelongTo(id, queue.id()) && subscription.isMissed(sequence)
          && (missedSinceMs < 0 || subscription.missedAt(sequence) >= missedSinceMs)) {
        candidates.add(sequence);
      }
    }
    if (candidates.isEmpty()) {
      return Future.succeededFuture(new RedeliverResult(0));
    }
    // An id only locates its message; the stored id tells whether it is that message.
    Set<String> wanted = new HashSet<>(messageIds);
    return runtime.store.headers(queue.id(), candidates).compose(headers -> {
      List<Long> sequences = new ArrayList<>();
      for (MessageHeader header : headers) {
        if (wanted.contains(header.id())) {
          sequences.add(header.sequence());
        }
      }
      return makeAvailable(subscription, sequences);
    });
  }

  // Every sequence still missed now leaves the missed set in this turn, so concurrent requests never
  // redeliver one message twice; it is available once its reset attempts are durable.
  private Future<RedeliverResult> makeAvailable(SubscriptionState subscription, List<Long> sequences) {
    if (subscription.removed) {
      return Future.succeededFuture(new RedeliverResult(0));
    }
    long now = runtime.nowMs();
    List<Future<Void>> commits = new ArrayList<>();
    List<Delivery> batchDeliveries = new ArrayList<>();
    StoreBatch batch = new StoreBatch();
    int redelivered = 0;
    for (long sequence : sequences) {
      Delivery delivery = subscription.takeMissed(sequence);
      if (delivery == null) {
        continue;
      }
      redelivered++;
      batch.putPending(subscription.id(), sequence, 0, now);
      batchDeliveries.add(delivery);
      if (batchDeliveries.size() == REDELIVERIES_PER_COMMIT) {
        commits.add(commit(subscription, batch, batchDeliveries));
        batch = new StoreBatch();
        batchDeliveries = new ArrayList<>();
      }
    }
    if (!batchDeliveries.isEmpty()) {
      commits.add(commit(subscription, batch, batchDeliveries));
    }
    int count = redelivered;
    return Future.all(commits).map(v -> new RedeliverResult(count));
  }

  private Future<Void> commit(SubscriptionState subscription, StoreBatch batch, List<Delivery> taken) {
    return runtime.store.commit(batch).andThen(written -> {
      long now = runtime.nowMs();
      for (Delivery delivery : taken) {
        if (!subscription.isCurrent(delivery) || delivery.state != Delivery.State.REDELIVERING) {
          continue;
        }
        subscription.forget(delivery);
        if (written.succeeded()) {
          subscription.addFresh(delivery.sequence, now, now);
        } else {
          subscription.addMissed(delivery.sequence, delivery.availableAtMs);
        }
      }
      if (written.succeeded()) {
        deliveries.wake(subscription);
      }
    });
  }
}
