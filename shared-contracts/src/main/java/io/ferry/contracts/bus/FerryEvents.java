package io.ferry.contracts.bus;

import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Vertx;

/** How every service announces a {@link FerryEvent}. */
public final class FerryEvents {

  private FerryEvents() {
  }

  /**
   * Publishes {@code event} to every observer ({@link Endpoints#EVENTS}) and sends it to one admin instance,
   * which records it ({@link Endpoints#EVENT_RECORD}). Recording is not done by admin's observers, because
   * with several admin instances every one of them would store it and deliver it to the event subscriptions.
   */
  public static void announce(Vertx vertx, FerryEvent event) {
    Bus.publish(vertx, Endpoints.EVENTS, event);
    Bus.send(vertx, Endpoints.EVENT_RECORD, event);
  }
}
