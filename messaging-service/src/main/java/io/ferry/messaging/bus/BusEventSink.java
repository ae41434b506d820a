package io.ferry.messaging.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.messaging.core.EventSink;
import io.vertx.core.Vertx;

/** Publishes the engine's events on the events address, to every service that consumes Ferry events. */
public final class BusEventSink implements EventSink {

  private final Vertx vertx;

  public BusEventSink(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void emit(FerryEvent event) {
    Bus.publish(vertx, Endpoints.EVENTS, event);
  }
}
