package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases, acks, retries and the periodic sweep of one engine. Leases live in memory only (a restart makes
 * leased messages available again, which at-least-once allows); acks and retries are durable before they
 * are answered.
 */
final class Deliveries {

  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  private record Granted(Delivery delivery, String leaseId, int attempts) {
  }

  private final EngineRuntime runtime;

  Deliveries(EngineRuntime runtime) {
    this.runtime = runtime;
  }

  Future<LeaseBatch> lease(SubscriptionState subscription, int batchSize, int visibilityTimeoutMs, int waitMs) {
    QueueState queue = subscription.queue;
    if (queue.paused()) {
      throw new FerryException(ErrorCode.DELIVERY_PAUSED, "delivery of queue " + queue.info.name()
          + " is paused; set settings.delivery_paused to false to resume it");
    }
    subscription.promoteDue(runtime.nowMs());
    if (subscription.ready.isEmpty() && waitMs > 0) {
      return park(subscription, batchSize, visibilityTimeoutMs, waitMs);
    }
    return grant(subscription, batchSize, visibilityTimeoutMs);
  }

  Future<AckResult> ack(SubscriptionState subscription, List<String> acks, List<RetryRequest> retries) {
    QueueState queue = subscription.queue;
    StoreBatch batch = new StoreBatch();
    List<String> warnings = new ArrayList<>();
    List<Delivery> acked = new ArrayList<>();
    List<RetainedMessage> deleted = new ArrayList<>();
    for (String leaseId : acks) {
      Delivery delivery = subscription.actionable(leaseId);
      if (delivery == null) {
        warnings.add(unusableLease(leaseId));
        continue;
      }
      subscription.hold(delivery, Delivery.State.ACKING);
      batch.deletePending(subscription.id(), delivery.sequence);
      RetainedMessage message = queue.retained.get(delivery.sequence);
      if (message != null && --message.unresolved <= 0 && !message.deleting) {
        message.deleting = true;
        batch.deleteMessage(queue.id(), message.sequence);
        deleted.add(message);
      }
      acked.add(delivery);
    }
    long now = runtime.nowMs();
    List<Delivery> retried = new ArrayList<>();
    for (RetryRequest retry : retries) {
      Delivery delivery = subscription.actionable(retry.leaseId());
      if (delivery == null) {
        warnings.add(unusableLease(retry.leaseId()));
        continue;
      }
      subscription.hold(delivery, Delivery.State.RETRYING);
      int delaySeconds = retry.delaySeconds() != null ? retry.delaySeconds() : subscription.spec.retryDelaySeconds();
      delivery.availableAtMs = now + delaySeconds * 1000L;
      batch.putPending(subscription.id(), delivery.sequence, delivery.attempts, delivery.availableAtMs);
      retried.add(delivery);
    }
    return runtime.store.commit(batch).transform(written -> {
      if (written.succeeded()) {
        acked.forEach(subscription::forget);
        deleted.forEach(queue::release);
      } else {
        restoreAcked(subscription, acked, deleted);
      }
      long later = runtime.nowMs();
      if (!subscription.removed) {
        retried.forEach(delivery -> subscription.schedule(delivery, later));
      }
      wake(subscription);
      return written.succeeded()
          ? Future.succeededFuture(new AckResult(acked.size(), retried.size(), warnings))
          : Future.failedFuture(written.cause());
    });
  }

  void sweep() {
    long now = runtime.nowMs();
    StoreBatch attempts = new StoreBatch();
    for (SubscriptionState subscription : runtime.state.subscriptions()) {
      boolean promoted = subscription.promoteDue(now);
      List<Delivery> expired = subscription.expireLeases(now);
      for (Delivery delivery : expired) {
        // Counted deliveries survive a restart, so dead-lettering can rely on them.
        attempts.putPending(subscription.id(), delivery.sequence, delivery.attempts, delivery.availableAtMs);
      }
      if (promoted || !expired.isEmpty()) {
        wake(subscription);
      }
    }
    runtime.store.commit(attempts).onFailure(e -> LOG.warn("could not record delivery attempts", e));
  }

  void wake(SubscriptionState subscription) {
    if (subscription.removed || subscription.queue.paused()) {
      return;
    }
    while (!subscription.waiters.isEmpty() && !subscription.ready.isEmpty()) {
      Waiter waiter = subscription.waiters.poll();
      runtime.vertx.cancelTimer(waiter.timerId);
      grant(subscription, waiter.batchSize, waiter.visibilityTimeoutMs).onComplete(waiter.promise);
    }
  }

  void releaseWaiters(SubscriptionState subscription) {
    for (Waiter waiter; (waiter = subscription.waiters.poll()) != null; ) {
      runtime.vertx.cancelTimer(waiter.timerId);
      waiter.promise.tryComplete(new LeaseBatch(List.of(), subscription.queue.metrics()));
    }
  }

  private Future<LeaseBatch> park(SubscriptionState subscription, int batchSize, int visibilityTimeoutMs,
      int waitMs) {
    Promise<LeaseBatch> promise = Promise.promise();
    Waiter waiter = new Waiter(batchSize, visibilityTimeoutMs, promise);
    waiter.timerId = runtime.vertx.setTimer(waitMs, id -> {
      if (subscription.waiters.remove(waiter)) {
        promise.tryComplete(new LeaseBatch(List.of(), subscription.queue.metrics()));
      }
    });
    subscription.waiters.add(waiter);
    return promise.future();
  }

  private Future<LeaseBatch> grant(SubscriptionState subscription, int batchSize, int visibilityTimeoutMs) {
    QueueState queue = subscription.queue;
    long expiresAtMs = runtime.nowMs() + visibilityTimeoutMs;
    List<Granted> granted = new ArrayList<>();
    while (granted.size() < batchSize && !subscription.ready.isEmpty()) {
      Delivery delivery = subscription.ready.firstEntry().getValue();
      String leaseId = Ids.newId();
      subscription.lease(delivery, leaseId, expiresAtMs);
      granted.add(new Granted(delivery, leaseId, delivery.attempts));
    }
    if (granted.isEmpty()) {
      return Future.succeededFuture(new LeaseBatch(List.of(), queue.metrics()));
    }
    List<Long> sequences = new ArrayList<>(granted.size());
    granted.forEach(g -> sequences.add(g.delivery().sequence));
    return runtime.store.read(queue.id(), sequences).map(messages -> {
      Map<Long, StoredMessage> bySequence = new HashMap<>();
      messages.forEach(message -> bySequence.put(message.sequence(), message));
      List<LeasedMessage> leased = new ArrayList<>(granted.size());
      for (Granted g : granted) {
        StoredMessage message = bySequence.get(g.delivery().sequence);
        if (message != null) {
          leased.add(new LeasedMessage(message, g.leaseId(), g.attempts()));
        } else {
          dropVanished(subscription, g.delivery());
        }
      }
      return new LeaseBatch(leased, queue.metrics());
    });
  }

  // A delivery whose message is gone (its queue was deleted meanwhile) must not circulate forever.
  private void dropVanished(SubscriptionState subscription, Delivery delivery) {
    if (subscription.removed || subscription.unresolved.get(delivery.sequence) != delivery) {
      return;
    }
    subscription.forget(delivery);
    runtime.store.commit(new StoreBatch().deletePending(subscription.id(), delivery.sequence));
  }

  private void restoreAcked(SubscriptionState subscription, List<Delivery> acked, List<RetainedMessage> deleted) {
    QueueState queue = subscription.queue;
    deleted.forEach(message -> message.deleting = false);
    long now = runtime.nowMs();
    for (Delivery delivery : acked) {
      RetainedMessage message = queue.retained.get(delivery.sequence);
      if (message != null) {
        message.unresolved++;
      }
      if (!subscription.removed) {
        subscription.schedule(delivery, now);
      }
    }
  }

  private static String unusableLease(String leaseId) {
    return "lease " + leaseId + " is unknown, was redelivered after it expired, or was already acked or retried";
  }
}
