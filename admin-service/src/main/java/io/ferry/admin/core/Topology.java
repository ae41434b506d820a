package io.ferry.admin.core;

import io.ferry.admin.store.ConsumerRecords;
import io.ferry.admin.store.ListenerRecords;
import io.ferry.admin.store.QueueRecords;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.TopologySnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Everything messaging-service must know to reconcile: every queue and every subscription. */
public final class Topology {

  private final QueueRecords queues;
  private final ConsumerRecords consumers;
  private final ListenerRecords listeners;

  public Topology(QueueRecords queues, ConsumerRecords consumers, ListenerRecords listeners) {
    this.queues = queues;
    this.consumers = consumers;
    this.listeners = listeners;
  }

  public Future<TopologySnapshot> snapshot() {
    return queues.allQueues().compose(allQueues -> consumers.allConsumers().compose(allConsumers -> listeners
        .allListeners().map(allListeners -> {
          List<SubscriptionSpec> subscriptions = new ArrayList<>();
          allConsumers.forEach(consumer -> subscriptions.add(Subscriptions.of(consumer)));
          allListeners.forEach(listener -> subscriptions.add(Subscriptions.of(listener)));
          return new TopologySnapshot(allQueues, subscriptions);
        })));
  }
}
