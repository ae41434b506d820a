package io.ferry.admin.core;

import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.Future;

/**
 * What admin-service asks messaging-service about a subscription's deliveries: its counters and redelivery of
 * missed messages. A failure is a {@code FerryException} (UNAVAILABLE when messaging-service cannot be reached).
 */
public interface DeliveryQueries {

  Future<SubscriptionStats> stats(String queueId, String subscriptionId);

  Future<RedeliverResult> redeliver(RedeliverRequest request);
}
