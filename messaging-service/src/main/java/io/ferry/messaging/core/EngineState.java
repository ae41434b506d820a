package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Every queue and subscription a shard's engine knows, with the lookups the operations need. Lives on the
 * engine's context only. Failing lookups answer with the domain error a client should see.
 */
final class EngineState {

  private final Map<String, QueueState> queues = new HashMap<>();
  private final Map<String, SubscriptionState> subscriptions = new HashMap<>();
  private final QueueNames names;

  EngineState(QueueNames names) {
    this.names = names;
  }

  Collection<QueueState> queues() {
    return queues.values();
  }

  QueueState queue(String queueId) {
    return queues.get(queueId);
  }

  // A null account means an internal caller, which may reach any queue.
  QueueState requireQueue(String accountId, String queueId) {
    QueueState queue = queueId == null ? null : queues.get(queueId);
    if (queue == null || (accountId != null && !queue.info.accountId().equals(accountId))) {
      throw new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + queueId + " does not exist");
    }
    return queue;
  }

  QueueState requireQueueByName(String accountId, String name) {
    String queueId = names.idOf(accountId, name);
    if (queueId == null) {
      throw new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + name + " does not exist");
    }
    return requireQueue(accountId, queueId);
  }

  SubscriptionState subscription(String subscriptionId) {
    return subscriptions.get(subscriptionId);
  }

  SubscriptionState requireSubscription(String queueId, String subscriptionId) {
    SubscriptionState subscription = subscriptionId == null ? null : subscriptions.get(subscriptionId);
    if (subscription == null || !subscription.queue.id().equals(queueId)) {
      throw new FerryException(ErrorCode.NOT_FOUND,
          "subscription " + subscriptionId + " of queue " + queueId + " does not exist");
    }
    return subscription;
  }

  Collection<SubscriptionState> subscriptions() {
    return subscriptions.values();
  }

  QueueState putQueue(QueueInfo info, long lastSequence) {
    QueueState queue = queues.get(info.id());
    if (queue == null) {
      queue = new QueueState(info, lastSequence);
      queues.put(info.id(), queue);
    } else {
      names.remove(queue.info.accountId(), queue.info.name(), info.id());
      queue.info = info;
    }
    names.put(info.accountId(), info.name(), info.id());
    return queue;
  }

  void removeQueue(QueueState queue) {
    queue.removed = true;
    queues.remove(queue.id());
    names.remove(queue.info.accountId(), queue.info.name(), queue.id());
    for (SubscriptionState subscription : queue.subscriptions.values()) {
      subscription.removed = true;
      subscriptions.remove(subscription.id());
    }
  }

  void putSubscription(SubscriptionState subscription) {
    subscriptions.put(subscription.id(), subscription);
    subscription.queue.subscriptions.put(subscription.id(), subscription);
  }

  void removeSubscription(SubscriptionState subscription) {
    subscription.removed = true;
    subscriptions.remove(subscription.id());
    subscription.queue.subscriptions.remove(subscription.id());
  }
}
