package io.ferry.dispatcher.core;

import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.vertx.core.Future;

/** Leasing and settling a listener's messages (served by messaging-service). */
public interface Leases {

  /** May be held up to the request's {@code waitMs} when nothing is ready. */
  Future<LeaseBatch> lease(LeaseRequest request);

  Future<AckResult> settle(AckRequest request);
}
