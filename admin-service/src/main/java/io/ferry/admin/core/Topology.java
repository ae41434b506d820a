package io.ferry.admin.core;

import io.ferry.admin.store.AdminStore;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.TopologySnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Everything messaging-service must know to reconcile: every queue and every subscription. */
public final class Topology {

  private final AdminStore store;

  public Topology(AdminStore store) {
    this.store = store;
  }

  public Future<TopologySnapshot> snapshot() {
    return store.allQueues().compose(queues -> store.allConsumers().compose(consumers -> store.allListeners()
        .map(listeners -> {
          List<SubscriptionSpec> subscriptions = new ArrayList<>();
          consumers.forEach(consumer -> subscriptions.add(Subscriptions.of(consumer)));
          listeners.forEach(listener -> subscriptions.add(Subscriptions.of(listener)));
          return new TopologySnapshot(queues, subscriptions);
        })));
  }
}
