package io.ferry.gateway.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.gateway.core.QueueDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Queue names resolved by admin-service over the event bus. */
public final class BusQueueDirectory implements QueueDirectory {

  private final Vertx vertx;

  public BusQueueDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<QueueInfo> byName(String accountId, String name) {
    return Bus.request(vertx, Endpoints.QUEUE_LOOKUP, QueueLookup.byName(accountId, name));
  }
}
