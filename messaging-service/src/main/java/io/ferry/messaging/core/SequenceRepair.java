package io.ferry.messaging.core;

import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.PendingRecord;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives messages stored with a sequence outside 1..{@link Sequences#MAX_SEQUENCE} (left by versions that took
 * any client sequence, up to Long.MAX_VALUE, and then wrapped negative) new sequences right after the
 * highest valid one the queue still holds, in the order they were written, with new ids; each
 * subscription's delivery state moves with its message. Without this the queue could not take another
 * append. Collected during the start-up scan; {@link #renumber} runs once the scan is complete.
 */
final class SequenceRepair {

  private static final Logger LOG = LoggerFactory.getLogger(SequenceRepair.class);

  private record Moved(SubscriptionState subscription, PendingRecord pending) {
  }

  private final Map<QueueState, List<Long>> outOfRange = new LinkedHashMap<>();
  private final Map<QueueState, List<Moved>> pendingOf = new HashMap<>();

  void message(QueueState queue, long sequence) {
    outOfRange.computeIfAbsent(queue, q -> new ArrayList<>()).add(sequence);
  }

  /** Whether the pending entry belongs to a message being renumbered (it is then kept for it). */
  boolean pending(SubscriptionState subscription, PendingRecord pending) {
    if (Sequences.inRange(pending.sequence()) || !outOfRange.containsKey(subscription.queue)) {
      return false;
    }
    pendingOf.computeIfAbsent(subscription.queue, q -> new ArrayList<>()).add(new Moved(subscription, pending));
    return true;
  }

  interface Restorer {
    void restore(SubscriptionState subscription, PendingRecord pending);
  }

  /** Reads the messages, adds their moves to {@code into} and puts them in the hot state. */
  Future<Void> renumber(MessageStore store, StoreBatch into, Restorer restorer) {
    Future<Void> done = Future.succeededFuture();
    for (Map.Entry<QueueState, List<Long>> entry : outOfRange.entrySet()) {
      QueueState queue = entry.getKey();
      done = done.compose(v -> store.read(queue.id(), entry.getValue()))
          .map(messages -> {
            renumber(queue, messages, into, restorer);
            return null;
          });
    }
    return done;
  }

  private void renumber(QueueState queue, List<StoredMessage> messages, StoreBatch into, Restorer restorer) {
    long first = queue.lastSequence + 1;
    Map<Long, Long> renumbered = new HashMap<>();
    for (StoredMessage old : messages) {
      long sequence = ++queue.lastSequence;
      StoredMessage moved = new StoredMessage(MessageIds.newId(queue.id(), sequence), queue.id(), sequence,
          old.key(), old.contentType(), old.body(), old.timestampMs(), old.availableAtMs());
      into.deleteMessage(queue.id(), old.sequence()).append(moved);
      queue.log.append(sequence, moved.timestampMs(), moved.availableAtMs(), moved.body().length, 0);
      renumbered.put(old.sequence(), sequence);
    }
    queue.publishedSequence = queue.lastSequence;
    for (Moved entry : pendingOf.getOrDefault(queue, List.of())) {
      PendingRecord old = entry.pending();
      into.deletePending(old.subscriptionId(), old.sequence());
      Long sequence = renumbered.get(old.sequence());
      if (sequence == null) {
        continue;
      }
      PendingRecord moved = new PendingRecord(old.subscriptionId(), sequence, old.attempts(), old.availableAtMs(),
          old.missed());
      if (moved.missed()) {
        into.putMissed(moved.subscriptionId(), sequence, moved.attempts(), moved.availableAtMs());
      } else {
        into.putPending(moved.subscriptionId(), sequence, moved.attempts(), moved.availableAtMs());
      }
      restorer.restore(entry.subscription(), moved);
    }
    LOG.warn("queue {} held {} messages with sequences outside 1..{} (accepted from clients before sequences "
        + "were bounded); they now have sequences {} to {}", queue.id(), messages.size(), Sequences.MAX_SEQUENCE,
        first, queue.lastSequence);
  }
}
