package io.ferry.admin.bus;

import io.ferry.admin.core.AdminEvents;
import io.ferry.contracts.bus.FerryEvents;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@link AdminEvents} announced as every service announces events ({@link FerryEvents#announce}). */
public final class BusAdminEvents implements AdminEvents {

  private final Vertx vertx;

  public BusAdminEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void publish(String type, String accountId, String resourceId, JsonObject payload) {
    FerryEvents.announce(vertx,
        new FerryEvent(Ids.newId(), type, accountId, resourceId, System.currentTimeMillis(), payload));
  }
}
