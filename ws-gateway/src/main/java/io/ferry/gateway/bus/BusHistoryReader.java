package io.ferry.gateway.bus;

import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.gateway.core.HistoryReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** History reads from messaging-service over the event bus. */
public final class BusHistoryReader implements HistoryReader {

  private final Vertx vertx;

  public BusHistoryReader(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<HistoryPage> read(HistoryRequest request) {
    return Bus.request(vertx, Endpoints.MESSAGING_HISTORY, request);
  }
}
