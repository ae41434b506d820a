package io.ferry.messaging.core;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.MessageMeta;
import io.ferry.messaging.store.PendingRecord;
import io.ferry.messaging.store.StoreBatch;
import io.ferry.messaging.store.StoredState;
import java.util.HashSet;
import java.util.Set;

/**
 * Rebuilds the hot state from what the store holds: queues with their sequence heads, subscriptions, the
 * retained-message index and every subscription's unresolved deliveries (all available again: leases do
 * not survive a restart). Returns the clean-up of leftovers that belong to nothing (e.g. pending entries of
 * a subscription deleted while an append was in flight).
 */
final class Recovery {

  private Recovery() {
  }

  static StoreBatch rebuild(StoredState stored, EngineState state, long nowMs) {
    StoreBatch cleanup = new StoreBatch();
    for (QueueInfo info : stored.queues()) {
      state.putQueue(info, stored.sequenceHeads().getOrDefault(info.id(), 0L));
    }
    for (SubscriptionSpec spec : stored.subscriptions()) {
      QueueState queue = state.queue(spec.queueId());
      if (queue == null) {
        cleanup.deleteSubscription(spec.id());
      } else {
        state.putSubscription(new SubscriptionState(spec, queue));
      }
    }
    Set<String> orphanQueues = new HashSet<>();
    for (MessageMeta meta : stored.messages()) {
      QueueState queue = state.queue(meta.queueId());
      if (queue == null) {
        if (orphanQueues.add(meta.queueId())) {
          cleanup.deleteQueue(meta.queueId());
        }
        continue;
      }
      queue.retain(new RetainedMessage(meta.sequence(), meta.bodyBytes(), meta.timestampMs(),
          meta.availableAtMs()));
      queue.lastSequence = Math.max(queue.lastSequence, meta.sequence());
      queue.publishedSequence = queue.lastSequence;
    }
    for (PendingRecord pending : stored.pending()) {
      SubscriptionState subscription = state.subscription(pending.subscriptionId());
      RetainedMessage message = subscription == null ? null
          : subscription.queue.retained.get(pending.sequence());
      if (message == null) {
        cleanup.deletePending(pending.subscriptionId(), pending.sequence());
        continue;
      }
      message.unresolved++;
      subscription.add(new Delivery(pending.sequence(), pending.attempts(), pending.availableAtMs()), nowMs);
    }
    return cleanup;
  }
}
