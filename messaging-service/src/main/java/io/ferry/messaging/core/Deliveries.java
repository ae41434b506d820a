package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Leases of one engine, and the lease requests parked until a message is ready (long polling). Leases live
 * in memory only: a restart makes leased messages available again, which at-least-once allows; only a shard
 * given up gracefully hands its leases to the next owner ({@link ShardEngine#leave}).
 */
final class Deliveries {

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
    if (!subscription.hasReady() && waitMs > 0) {
      return park(subscription, batchSize, visibilityTimeoutMs, waitMs);
    }
    return grant(subscription, batchSize, visibilityTimeoutMs);
  }

  void wake(SubscriptionState subscription) {
    if (subscription.removed || subscription.queue.paused()) {
      return;
    }
    while (!subscription.waiters.isEmpty() && subscription.hasReady()) {
      Waiter waiter = subscription.waiters.poll();
      runtime.clock.cancelTimer(waiter.timerId);
      grant(subscription, waiter.batchSize, waiter.visibilityTimeoutMs).onComplete(waiter.promise);
    }
  }

  void releaseWaiters(SubscriptionState subscription) {
    for (Waiter waiter; (waiter = subscription.waiters.poll()) != null; ) {
      runtime.clock.cancelTimer(waiter.timerId);
      waiter.promise.tryComplete(new LeaseBatch(List.of(), subscription.queue.metrics()));
    }
  }

  private Future<LeaseBatch> park(SubscriptionState subscription, int batchSize, int visibilityTimeoutMs,
      int waitMs) {
    Promise<LeaseBatch> promise = Promise.promise();
    Waiter waiter = new Waiter(batchSize, visibilityTimeoutMs, promise);
    waiter.timerId = runtime.clock.setTimer(waitMs, () -> {
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
    while (granted.size() < batchSize) {
      String leaseId = Ids.newId();
      Delivery delivery = subscription.leaseNext(leaseId, expiresAtMs);
      if (delivery == null) {
        break;
      }
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
      runtime.meters.of(queue).delivered.add(leased.size());
      return new LeaseBatch(leased, queue.metrics());
    });
  }

  // A delivery whose message is gone (removed while its body was read) must not circulate forever.
  private void dropVanished(SubscriptionState subscription, Delivery delivery) {
    if (!subscription.isCurrent(delivery)) {
      return;
    }
    subscription.forget(delivery);
    runtime.store.commit(new StoreBatch().deletePending(subscription.id(), delivery.sequence));
  }
}
