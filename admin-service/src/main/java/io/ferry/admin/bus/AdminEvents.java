package io.ferry.admin.bus;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Publishes admin actions ({@code queue.created}, ...) on {@link Addresses#EVENTS}. */
public final class AdminEvents {

  public static final String QUEUE_CREATED = "queue.created";
  public static final String QUEUE_DELETED = "queue.deleted";
  public static final String CONSUMER_CREATED = "consumer.created";
  public static final String CONSUMER_DELETED = "consumer.deleted";
  public static final String LISTENER_CREATED = "listener.created";
  public static final String LISTENER_DELETED = "listener.deleted";

  private final Vertx vertx;

  public AdminEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  public void publish(String type, String accountId, String resourceId, JsonObject payload) {
    vertx.eventBus().publish(Addresses.EVENTS,
        new FerryEvent(Ids.newId(), type, accountId, resourceId, System.currentTimeMillis(), payload));
  }
}
