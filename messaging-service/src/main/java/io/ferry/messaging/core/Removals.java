package io.ferry.messaging.core;

import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes messages from a queue for every subscription at once: single messages (discue delete, Cloudflare
 * purge by ref, Sonya delete by id) and every message up to a sequence (retention, queue purge). The
 * messages leave every subscription's state at once, so nobody leases them while the removal is written;
 * they leave the queue's index once it is durable.
 */
final class Removals {

  private static final Logger LOG = LoggerFactory.getLogger(Removals.class);
  // Bounds the work one sweep does on the engine thread when a long backlog expires at once.
  private static final int MAX_EXPIRED_PER_SWEEP = 100_000;

  private final EngineRuntime runtime;

  Removals(EngineRuntime runtime) {
    this.runtime = runtime;
  }

  /** Removes the retained messages with these sequences; completes with those it removed, once durable. */
  Future<List<Long>> remove(QueueState queue, Collection<Long> sequences) {
    RetainedLog log = queue.log;
    StoreBatch batch = new StoreBatch();
    List<Long> removing = new ArrayList<>();
    for (long sequence : sequences) {
      int index = log.find(sequence);
      if (index < 0 || log.isDeleting(index)) {
        continue;
      }
      log.setDeleting(index, true);
      long availableAtMs = log.availableAtMs(index);
      batch.deleteMessage(queue.id(), sequence);
      for (SubscriptionState subscription : queue.subscriptions.values()) {
        subscription.drop(sequence, availableAtMs);
        batch.deletePending(subscription.id(), sequence);
      }
      removing.add(sequence);
    }
    if (removing.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return runtime.store.commit(batch).transform(written -> {
      for (long sequence : removing) {
        if (written.succeeded()) {
          log.release(sequence);
        } else {
          int index = log.find(sequence);
          if (index >= 0) {
            log.setDeleting(index, false);
          }
        }
      }
      if (written.failed()) {
        // The messages are still stored; a restart makes them deliverable again.
        LOG.error("could not remove {} messages of queue {}", removing.size(), queue.id(), written.cause());
        return Future.failedFuture(written.cause());
      }
      return Future.succeededFuture(removing);
    });
  }

  /** Removes every message up to {@code through}, durable together with {@code batch}'s own mutations. */
  Future<Void> removeThrough(QueueState queue, long through, StoreBatch batch) {
    RetainedLog log = queue.log;
    queue.removalThrough = Math.max(queue.removalThrough, through);
    for (int i = log.start(); i < log.end() && log.sequence(i) <= through; i++) {
      log.setDeleting(i, true);
    }
    batch.deleteMessagesThrough(queue.id(), through);
    for (SubscriptionState subscription : queue.subscriptions.values()) {
      subscription.dropThrough(through);
      batch.deletePendingThrough(subscription.id(), through);
    }
    return runtime.store.commit(batch)
        .onSuccess(v -> log.releaseThrough(through))
        .onFailure(e -> LOG.error("could not remove the messages of queue {} through sequence {}; a restart "
            + "makes them deliverable again", queue.id(), through, e));
  }

  /** Removes the queue's messages whose retention period has passed (messages are in time order). */
  Future<Void> expire(QueueState queue, long nowMs) {
    long cutoff = nowMs - queue.info.settings().retentionPeriodSeconds() * 1000L;
    RetainedLog log = queue.log;
    long through = -1;
    int count = 0;
    int backlog = 0;
    for (int i = log.lowerBound(queue.removalThrough + 1); i < log.end() && count < MAX_EXPIRED_PER_SWEEP; i++) {
      if (!log.isRetained(i)) {
        continue;
      }
      if (log.timestampMs(i) >= cutoff) {
        break;
      }
      through = log.sequence(i);
      count++;
      if (log.isBacklog(i) && !log.isDeleting(i)) {
        backlog++;
      }
    }
    if (through <= 0) {
      return Future.succeededFuture();
    }
    int expiredBacklog = backlog;
    return removeThrough(queue, through, new StoreBatch())
        .onSuccess(v -> runtime.meters.of(queue).expired.add(expiredBacklog));
  }
}
