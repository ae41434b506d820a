package io.ferry.admin.bus;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Publishes admin actions ({@link io.ferry.contracts.model.EventTypes}) on {@link Addresses#EVENTS}. */
public final class AdminEvents {

  private final Vertx vertx;

  public AdminEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  public void publish(String type, String accountId, String resourceId, JsonObject payload) {
    vertx.eventBus().publish(Addresses.EVENTS,
        new FerryEvent(Ids.newId(), type, accountId, resourceId, System.currentTimeMillis(), payload));
  }
}
