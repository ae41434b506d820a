package io.ferry.messaging.bus;

import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.TopologySnapshot;
import io.ferry.messaging.core.TopologySource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Asks admin-service for its topology snapshot over the event bus. */
public final class BusTopologySource implements TopologySource {

  private static final long REQUEST_TIMEOUT_MS = 10_000;

  private final Vertx vertx;

  public BusTopologySource(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<TopologySnapshot> snapshot() {
    return Bus.request(vertx, Endpoints.TOPOLOGY_SNAPSHOT, null, REQUEST_TIMEOUT_MS);
  }
}
