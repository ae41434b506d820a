package io.ferry.dispatcher.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.dispatcher.core.Leases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Leases and settlements sent to messaging-service over the event bus. */
public final class MessagingClient implements Leases {

  /** A lease request is held up to its waitMs by messaging; this is how much longer its reply may take. */
  static final long LEASE_REPLY_GRACE_MS = 10_000;
  /**
   * Messaging answers a settlement within its forward wait (5 s by default) and a commit; a call lost on the way
   * (an instance stopping) is known sooner than the bus's 30 s, while the settlement can still be sent again.
   */
  static final long SETTLE_REPLY_MS = 10_000;

  private final Vertx vertx;

  public MessagingClient(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<LeaseBatch> lease(LeaseRequest request) {
    return Bus.request(vertx, Endpoints.MESSAGING_LEASE, request, request.waitMs() + LEASE_REPLY_GRACE_MS);
  }

  @Override
  public Future<AckResult> settle(AckRequest request) {
    return Bus.request(vertx, Endpoints.MESSAGING_ACK, request, SETTLE_REPLY_MS);
  }
}
