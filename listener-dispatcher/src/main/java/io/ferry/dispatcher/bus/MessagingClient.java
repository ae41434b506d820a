package io.ferry.dispatcher.bus;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Leasing and settling a listener's messages in messaging-service. */
public final class MessagingClient {

  /** A lease request is held up to its waitMs by messaging; this is how much longer its reply may take. */
  static final long LEASE_REPLY_GRACE_MS = 10_000;

  private final Vertx vertx;

  public MessagingClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<LeaseBatch> lease(LeaseRequest request) {
    return Bus.request(vertx, Addresses.MESSAGING_LEASE, request, request.waitMs() + LEASE_REPLY_GRACE_MS);
  }

  public Future<AckResult> settle(AckRequest request) {
    return Bus.request(vertx, Addresses.MESSAGING_ACK, request);
  }
}
