package io.ferry.messaging.core;

import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sweep: makes due delayed messages ready, returns or dead-letters expired leases, and removes
 * messages whose retention period has passed.
 */
final class Sweeper {

  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

  private final EngineRuntime runtime;
  private final Deliveries deliveries;
  private final Settlements settlements;
  private final Removals removals;

  Sweeper(EngineRuntime runtime, Deliveries deliveries, Settlements settlements, Removals removals) {
    this.runtime = runtime;
    this.deliveries = deliveries;
    this.settlements = settlements;
    this.removals = removals;
  }

  Future<Void> sweep() {
    long now = runtime.nowMs();
    List<Future<Void>> work = new ArrayList<>();
    StoreBatch attempts = new StoreBatch();
    for (SubscriptionState subscription : runtime.state.subscriptions()) {
      boolean promoted = subscription.promoteDue(now);
      List<Delivery> expired = subscription.expiredLeases(now);
      if (!expired.isEmpty()) {
        work.add(settlements.expired(subscription, expired, attempts));
      }
      if (promoted || !expired.isEmpty()) {
        deliveries.wake(subscription);
      }
    }
    work.add(runtime.store.commit(attempts).onFailure(e -> LOG.warn("could not record delivery attempts", e)));
    for (QueueState queue : runtime.state.queues()) {
      work.add(removals.expire(queue, now));
    }
    // Each part has logged its own failure; the sweep itself is done once every part has settled.
    return Future.join(work).transform(done -> Future.succeededFuture());
  }
}
