package io.ferry.gateway.bus;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Resolves queue names through admin-service, which owns queues. */
public final class QueueDirectory {

  private final Vertx vertx;

  public QueueDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The account's queue with this name; fails QUEUE_NOT_FOUND. */
  public Future<QueueInfo> byName(String accountId, String name) {
    return Bus.request(vertx, Addresses.QUEUE_LOOKUP, QueueLookup.byName(accountId, name));
  }
}
