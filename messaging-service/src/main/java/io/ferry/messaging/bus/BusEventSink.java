package io.ferry.messaging.bus;

import io.ferry.contracts.bus.FerryEvents;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.messaging.core.EventSink;
import io.vertx.core.Vertx;

/** Announces the engine's events to every service that consumes Ferry events, and to admin's audit trail. */
public final class BusEventSink implements EventSink {

  private final Vertx vertx;

  public BusEventSink(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void emit(FerryEvent event) {
    FerryEvents.announce(vertx, event);
  }
}
