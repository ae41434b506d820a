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
    runtime.meters.remove(queueId);
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
      List<Long> settled = new ArrayList<>();
      // Messages stay as history either way (retention removes them later); with other subscriptions left,
      // those nobody else still has to resolve are settled, as if this subscription had acked them.
      boolean othersRemain = !queue.subscriptions.isEmpty();
      RetainedLog log = queue.log;
      subscription.forEachUnresolved(sequence -> {
        int index = log.find(sequence);
        if (index < 0) {
          return;
        }
        log.addUnresolved(index, -1);
        if (log.unresolved(index) <= 0 && othersRemain && !log.isDeleting(index)) {
          settled.add(sequence);
        }
      });
      return runtime.store.commit(batch).onSuccess(v -> settled.forEach(sequence -> {
        int index = log.find(sequence);
        if (index >= 0 && log.unresolved(index) <= 0) {
          log.setSettled(index, true);
        }
      }));
    });
  }

  /**
   * Makes the queues and subscriptions those of {@code snapshot}, except the ones whose ids are in {@code newer}:
   * a command changed them after the snapshot was asked for, so the snapshot may not have them as they are now (a
   * listener created meanwhile would lose its subscription, and with it every message pushed to it).
   */
  Future<Void> reconcile(TopologySnapshot snapshot, Set<String> newer) {
    List<Future<?>> work = new ArrayList<>();
    Set<String> queueIds = new HashSet<>();
    for (QueueInfo queue : snapshot.queues()) {
      queueIds.add(queue.id());
      if (!newer.contains(queue.id())) {
        work.add(upsertQueue(queue));
      }
    }
    for (QueueState queue : List.copyOf(runtime.state.queues())) {
      if (!queueIds.contains(queue.id()) && !newer.contains(queue.id())) {
        work.add(deleteQueue(queue.id()));
      }
    }
    Set<String> subscriptionIds = new HashSet<>();
    for (SubscriptionSpec spec : snapshot.subscriptions()) {
      subscriptionIds.add(spec.id());
      if (runtime.state.queue(spec.queueId()) != null && !newer.contains(spec.id())) {
        work.add(upsertSubscription(spec));
      }
    }
    for (SubscriptionState subscription : List.copyOf(runtime.state.subscriptions())) {
      if (!subscriptionIds.contains(subscription.id()) && !newer.contains(subscription.id())) {
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
    RetainedLog log = queue.log;
    StoreBatch batch = new StoreBatch().putSubscription(subscription.spec);
    SequenceSet backlog = new SequenceSet();
    if (subscription.spec.kind() == SubscriptionSpec.Kind.PULL_CONSUMER) {
      for (int i = log.start(); i < log.end() && log.sequence(i) <= backlogThrough; i++) {
        if (log.isBacklog(i) && !log.isDeleting(i)) {
          // Counted now so that no other subscription's ack deletes the message while this is written.
          log.addUnresolved(i, 1);
          batch.putPending(subscription.id(), log.sequence(i), 0, log.availableAtMs(i));
          backlog.add(log.sequence(i));
        }
      }
    }
    return runtime.store.commit(batch).transform(written -> {
      boolean keep = written.succeeded() && !subscription.removed;
      long now = runtime.nowMs();
      backlog.forEach(sequence -> {
        int index = log.find(sequence);
        if (index < 0) {
          return;
        }
        if (!keep) {
          log.addUnresolved(index, -1);
        } else if (!log.isDeleting(index)) {
          subscription.addFresh(sequence, log.availableAtMs(index), now);
        }
      });
      if (keep) {
        deliveries.wake(subscription);
      }
      return written.succeeded() ? Future.succeededFuture() : Future.failedFuture(written.cause());
    });
  }

  private static void requireId(String field, String id) {
    if (!Ids.isValid(id)) {
      throw FerryException.invalidField(field, "must be 32 lowercase hex characters");
    }
  }
}
