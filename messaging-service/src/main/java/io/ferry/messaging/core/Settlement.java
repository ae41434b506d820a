package io.ferry.messaging.core;

import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One durable write of a subscription's resolutions (acks, dead-letterings), retries, releases and misses,
 * and what follows it. A message the last subscription resolves is settled, not deleted: it stays as history
 * until retention removes it. The acks add to the subscription's acknowledged counter in the same write, so the
 * counter is exact. A dead-lettered message is appended to a dead-letter queue of the same shard in the same
 * write that resolves it, so it is never both lost from the source and missing from the dead-letter queue, nor
 * in both after a crash; a dead-letter queue on another shard gets its copy durably before that write (see
 * {@link #appendRemoteCopies}). Built in one turn of the engine thread; the hot state changes with the
 * write's outcome.
 */
final class Settlement {

  private record Resolution(Delivery delivery, boolean counted, boolean settlesMessage) {
  }

  private record DeadLetter(Delivery delivery, StoredMessage message, QueueState deadLetterQueue,
      Publisher.Append append) {
  }

  // A dead-letter queue on another shard: its copy is appended there, durably, before this write.
  private static final class RemoteDeadLetter {
    final Delivery delivery;
    final StoredMessage message;
    final String queueId;
    String copyId;

    RemoteDeadLetter(Delivery delivery, StoredMessage message, String queueId) {
      this.delivery = delivery;
      this.message = message;
      this.queueId = queueId;
    }
  }

  private final EngineRuntime runtime;
  private final Publisher publisher;
  private final Deliveries deliveries;
  private final SubscriptionState subscription;
  private final StoreBatch batch = new StoreBatch();
  private final List<Resolution> resolutions = new ArrayList<>();
  private final List<Delivery> retries = new ArrayList<>();
  private final List<Delivery> misses = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final List<RemoteDeadLetter> remoteDeadLetters = new ArrayList<>();
  private int acknowledged;
  private int retried;
  private int deadLettered;

  Settlement(EngineRuntime runtime, Publisher publisher, Deliveries deliveries, SubscriptionState subscription) {
    this.runtime = runtime;
    this.publisher = publisher;
    this.deliveries = deliveries;
    this.subscription = subscription;
  }

  /** Resolves a held delivery because its consumer acknowledged it (counted). */
  void ack(Delivery delivery) {
    resolve(delivery);
    acknowledged++;
  }

  // The subscription is done with the message: acked or dead-lettered.
  private void resolve(Delivery delivery) {
    delivery.state = Delivery.State.RESOLVING;
    batch.deletePending(subscription.id(), delivery.sequence);
    RetainedLog log = subscription.queue.log;
    int index = log.find(delivery.sequence);
    boolean counted = index >= 0;
    boolean settlesMessage = false;
    if (counted) {
      log.addUnresolved(index, -1);
      // Resolved by everyone: no longer backlog, but kept as history (Sonya replays it) until retention.
      if (log.unresolved(index) <= 0 && !log.isDeleting(index) && !log.isSettled(index)) {
        log.setSettled(index, true);
        settlesMessage = true;
      }
    }
    resolutions.add(new Resolution(delivery, counted, settlesMessage));
  }

  /** Makes a held delivery available again at {@code availableAtMs}, its attempts recorded. */
  void retry(Delivery delivery, long availableAtMs) {
    retried++;
    reschedule(delivery, availableAtMs);
  }

  private void reschedule(Delivery delivery, long availableAtMs) {
    delivery.state = Delivery.State.RETRYING;
    delivery.availableAtMs = availableAtMs;
    batch.putPending(subscription.id(), delivery.sequence, delivery.attempts, availableAtMs);
    retries.add(delivery);
  }

  /**
   * Hands a held delivery back unattempted: available at {@code nowMs}, the attempt of its lease uncounted
   * (the count is written, since an expiry may have recorded that attempt already).
   */
  void release(Delivery delivery, long nowMs) {
    delivery.attempts = Math.max(0, delivery.attempts - 1);
    reschedule(delivery, nowMs);
  }

  /**
   * Gives up on a held delivery: its message stays stored, held for the subscription as missed (not
   * available) until a redelivery is asked for.
   */
  void miss(Delivery delivery) {
    delivery.state = Delivery.State.MISSING;
    batch.putMissed(subscription.id(), delivery.sequence, delivery.attempts, runtime.nowMs());
    misses.add(delivery);
  }

  /**
   * Resolves a held delivery that failed once too often, appending its message ({@code null}: vanished) to
   * the subscription's dead-letter queue when that queue exists.
   */
  void deadLetter(Delivery delivery, StoredMessage message) {
    resolve(delivery);
    deadLettered++;
    if (message == null) {
      return;
    }
    String queueId = subscription.spec.deadLetterQueueId();
    QueueState target = queueId == null ? null : runtime.state.queue(queueId);
    if (queueId != null && target == null) {
      remoteDeadLetters.add(new RemoteDeadLetter(delivery, message, queueId));
      return;
    }
    Publisher.Append append = target == null ? null : publisher.prepare(target, List.of(new NewMessage(
        message.key(), message.contentType(), message.body(), null)), null, null, batch);
    deadLetters.add(new DeadLetter(delivery, message, target, append));
  }

  Future<Void> commit() {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    if (acknowledged > 0) {
      batch.addAcknowledged(subscription.id(), acknowledged);
    }
    Future<Void> done = appendRemoteCopies().compose(copied -> runtime.store.commit(batch)).transform(written -> {
      if (written.succeeded()) {
        try {
          applied();
        } catch (RuntimeException e) {
          runtime.invariantFailed("settlement of subscription " + subscription.id(), e);
        }
        return Future.<Void>succeededFuture();
      }
      failed();
      return Future.<Void>failedFuture(written.cause());
    });
    for (DeadLetter deadLetter : deadLetters) {
      if (deadLetter.append() != null) {
        deadLetter.deadLetterQueue().lastAppend = done;
      }
    }
    return done;
  }

  /**
   * Copies to dead-letter queues of other shards go first: once this write resolves the deliveries, the copy
   * must exist. A crash in between leaves the copy and the delivery both (it is dead-lettered again later), so
   * across shards a dead-lettered message may reach its dead-letter queue twice, never zero times.
   */
  private Future<Void> appendRemoteCopies() {
    if (remoteDeadLetters.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<String>> copies = new ArrayList<>(remoteDeadLetters.size());
    for (RemoteDeadLetter deadLetter : remoteDeadLetters) {
      copies.add(runtime.peers.appendDeadLetterCopy(deadLetter.queueId, new NewMessage(deadLetter.message.key(),
          deadLetter.message.contentType(), deadLetter.message.body(), null))
          .onSuccess(copyId -> deadLetter.copyId = copyId));
    }
    return Future.all(copies).mapEmpty();
  }

  private void applied() {
    for (Resolution resolution : resolutions) {
      subscription.forget(resolution.delivery());
    }
    subscription.acknowledgedCount += acknowledged;
    QueueMeters meters = runtime.meters.of(subscription.queue);
    meters.acked.add(acknowledged);
    meters.retried.add(retried);
    meters.deadLettered.add(deadLettered);
    long now = runtime.nowMs();
    for (Delivery delivery : misses) {
      if (subscription.isCurrent(delivery) && delivery.state == Delivery.State.MISSING) {
        subscription.markMissed(delivery, now);
      }
    }
    for (Delivery delivery : retries) {
      if (subscription.isCurrent(delivery) && delivery.state == Delivery.State.RETRYING) {
        subscription.schedule(delivery, now);
      }
    }
    for (DeadLetter deadLetter : deadLetters) {
      if (deadLetter.append() != null) {
        publisher.applyDurable(deadLetter.append());
      }
      announceDeadLettered(deadLetter.delivery(), deadLetter.message(),
          deadLetter.append() == null ? null : deadLetter.deadLetterQueue().id(),
          deadLetter.append() == null ? null : deadLetter.append().messages().get(0).id());
    }
    for (RemoteDeadLetter deadLetter : remoteDeadLetters) {
      announceDeadLettered(deadLetter.delivery, deadLetter.message,
          deadLetter.copyId == null ? null : deadLetter.queueId, deadLetter.copyId);
    }
    deliveries.wake(subscription);
  }

  private void announceDeadLettered(Delivery delivery, StoredMessage message, String deadLetterQueueId,
      String copyId) {
    runtime.publishEvent(EventTypes.MESSAGE_DEAD_LETTERED, subscription.queue.info.accountId(), message.id(),
        new JsonObject()
            .put("queue_id", subscription.queue.id())
            .put("subscription_id", subscription.id())
            .put("message_id", message.id())
            .put("attempts", delivery.attempts)
            .put("timestamp_ms", message.timestampMs())
            .put("dead_letter_queue_id", deadLetterQueueId)
            // The copy's own id: with message_id it traces a message from its queue into the dead-letter queue.
            .put("dead_letter_message_id", copyId));
  }

  // Nothing was written: every delivery is back in circulation with the attempts it had.
  private void failed() {
    RetainedLog log = subscription.queue.log;
    for (Resolution resolution : resolutions) {
      Delivery delivery = resolution.delivery();
      int index = log.find(delivery.sequence);
      if (index >= 0 && !subscription.removed) {
        if (resolution.counted()) {
          log.addUnresolved(index, 1);
        }
        if (resolution.settlesMessage()) {
          log.setSettled(index, false);
        }
      }
      if (subscription.isCurrent(delivery)) {
        subscription.requeue(delivery);
      }
    }
    for (Delivery delivery : misses) {
      if (subscription.isCurrent(delivery) && delivery.state == Delivery.State.MISSING) {
        subscription.requeue(delivery);
      }
    }
    long now = runtime.nowMs();
    for (Delivery delivery : retries) {
      if (subscription.isCurrent(delivery) && delivery.state == Delivery.State.RETRYING) {
        subscription.schedule(delivery, now);
      }
    }
    for (DeadLetter deadLetter : deadLetters) {
      if (deadLetter.append() != null) {
        publisher.abandon(deadLetter.append());
      }
    }
    deliveries.wake(subscription);
  }
}
