package io.ferry.messaging.core;

import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.TopologySnapshot;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Queues and subscriptions as admin-service tells us about them. Changes apply to the hot state at once (so
 * new appends see them) and are acknowledged once durable. Subscription changes first wait for the queue's
 * appends in flight, so that a subscription's pending entries are exactly the messages it must receive.
 */
final class Topology {

  private final EngineRuntime runtime;
  private final Deliveries deliveries;

  Topology(EngineRuntime runtime, Deliveries deliveries) {
    this.runtime = runtime;
    this.deliveries = deliveries;
  }

  Future<Void> upsertQueue(QueueInfo info) {
    requireId("id", info == null ? null : info.id());
    if (info.accountId() == null || info.name() == null || info.settings() == null) {
      throw FerryException.invalidField("queue", "accountId, name and settings are required");
    }
    QueueState existing = runtime.state.queue(info.id());
    boolean wasPaused = existing != null && existing.paused();
    QueueState queue = runtime.state.putQueue(info, 0);
    if (wasPaused && !queue.paused()) {
      queue.subscriptions.values().forEach(deliveries::wake);
    }
    return runtime.store.commit(new StoreBatch().putQueue(info));
  }

  Future<Void> deleteQueue(String queueId) {
    QueueState queue = runtime.state.queue(queueId);
    if (queue == null) {
      return Future.succeededFuture();
    }
    List<SubscriptionState> subscriptions = List.copyOf(queue.subscriptions.values());
    runtime.state.removeQueue(queue);
    subscriptions.forEach(deliveries::releaseWaiters);
    return queue.lastAppend.transform(ignored -> {
      StoreBatch batch = new StoreBatch().deleteQueue(queueId);
      subscriptions.forEach(subscription -> batch.deleteSubscription(subscription.id()));
      return runtime.store.commit(batch);
    });
  }

  Future<Void> upsertSubscription(SubscriptionSpec spec) {
    requireId("id", spec == null ? null : spec.id());
    if (spec.kind() == null) {
      throw FerryException.invalidField("kind", "is required");
    }
    QueueState queue = runtime.state.requireQueue(null, spec.queueId());
    SubscriptionState existing = runtime.state.subscription(spec.id());
    if (existing != null && existing.queue == queue) {
      existing.spec = spec;
      return runtime.store.commit(new StoreBatch().putSubscription(spec));
    }
    if (existing != null) {
      throw FerryException.invalidField("queueId", "subscription " + spec.id() + " belongs to another queue");
    }
    SubscriptionState subscription = new SubscriptionState(spec, queue);
    runtime.state.putSubscription(subscription);
    long backlogThrough = queue.lastSequence;
    return queue.lastAppend.transform(ignored -> persistNew(subscription, backlogThrough));
  }

  Future<Void> deleteSubscription(String subscriptionId) {
    SubscriptionState subscription = runtime.state.subscription(subscriptionId);
    if (subscription == null) {
      return Future.succeededFuture();
    }
    QueueState queue = subscription.queue;
    runtime.state.removeSubscription(subscription);
    deliveries.releaseWaiters(subscription);
    return queue.lastAppend.transform(ignored -> {
      StoreBatch batch = new StoreBatch().deleteSubscription(subscriptionId);
      List<RetainedMessage> deleted = new ArrayList<>();
      // With no subscription left the queue keeps its messages as history (retention removes them later).
      boolean othersRemain = !queue.subscriptions.isEmpty();
      for (Delivery delivery : subscription.unresolved.values()) {
        RetainedMessage message = queue.retained.get(delivery.sequence);
        if (delivery.state == Delivery.State.ACKING || message == null) {
          continue;
        }
        if (--message.unresolved <= 0 && othersRemain && !message.deleting) {
          message.deleting = true;
          batch.deleteMessage(queue.id(), message.sequence);
          deleted.add(message);
        }
      }
      return runtime.store.commit(batch).onSuccess(v -> deleted.forEach(queue::release));
    });
  }

  Future<Void> reconcile(TopologySnapshot snapshot) {
    List<Future<?>> work = new ArrayList<>();
    Set<String> queueIds = new HashSet<>();
    for (QueueInfo queue : snapshot.queues()) {
      queueIds.add(queue.id());
      work.add(upsertQueue(queue));
    }
    for (QueueState queue : List.copyOf(runtime.state.queues())) {
      if (!queueIds.contains(queue.id())) {
        work.add(deleteQueue(queue.id()));
      }
    }
    Set<String> subscriptionIds = new HashSet<>();
    for (SubscriptionSpec spec : snapshot.subscriptions()) {
      subscriptionIds.add(spec.id());
      if (runtime.state.queue(spec.queueId()) != null) {
        work.add(upsertSubscription(spec));
      }
    }
    for (SubscriptionState subscription : List.copyOf(runtime.state.subscriptions())) {
      if (!subscriptionIds.contains(subscription.id())) {
        work.add(deleteSubscription(subscription.id()));
      }
    }
    return Future.join(work).mapEmpty();
  }

  // A pull consumer receives the backlog that existed when it was created; a listener only what follows.
  private Future<Void> persistNew(SubscriptionState subscription, long backlogThrough) {
    if (subscription.removed) {
      return Future.succeededFuture();
    }
    QueueState queue = subscription.queue;
    StoreBatch batch = new StoreBatch().putSubscription(subscription.spec);
    List<RetainedMessage> backlog = new ArrayList<>();
    if (subscription.spec.kind() == SubscriptionSpec.Kind.PULL_CONSUMER) {
      for (RetainedMessage message : queue.retained.headMap(backlogThrough, true).values()) {
        if (!message.deleting) {
          // Counted now so that no other subscription's ack deletes the message while this is written.
          message.unresolved++;
          batch.putPending(subscription.id(), message.sequence, 0, message.availableAtMs);
          backlog.add(message);
        }
      }
    }
    return runtime.store.commit(batch).transform(written -> {
      if (written.failed() || subscription.removed) {
        backlog.forEach(message -> message.unresolved--);
        return written.succeeded() ? Future.succeededFuture() : Future.failedFuture(written.cause());
      }
      long now = runtime.nowMs();
      for (RetainedMessage message : backlog) {
        subscription.add(new Delivery(message.sequence, 0, message.availableAtMs), now);
      }
      deliveries.wake(subscription);
      return Future.succeededFuture();
    });
  }

  private static void requireId(String field, String id) {
    if (!Ids.isValid(id)) {
      throw FerryException.invalidField(field, "must be 32 lowercase hex characters");
    }
  }
}
