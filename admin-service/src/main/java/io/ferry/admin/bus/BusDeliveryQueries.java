package io.ferry.admin.bus;

import io.ferry.admin.core.DeliveryQueries;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link DeliveryQueries} as event-bus requests to messaging-service. */
public final class BusDeliveryQueries implements DeliveryQueries {

  // A client is waiting on a read; a healthy messaging-service answers these from memory.
  static final long STATS_TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  public BusDeliveryQueries(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<SubscriptionStats> stats(String queueId, String subscriptionId) {
    return Bus.request(vertx, Endpoints.MESSAGING_SUBSCRIPTION_STATS, new SubscriptionRef(queueId, subscriptionId),
        STATS_TIMEOUT_MS);
  }

  @Override
  public Future<RedeliverResult> redeliver(RedeliverRequest request) {
    return Bus.request(vertx, Endpoints.MESSAGING_REDELIVER, request, BusMessagingCommands.TIMEOUT_MS);
  }
}
