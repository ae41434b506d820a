package io.ferry.admin.api.bus;

import io.ferry.admin.core.EventSubscriptionDelivery;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Serves {@link Endpoints#EVENT_RECORD}: hands every event to {@link EventSubscriptionDelivery}. Each event
 * reaches one admin instance, so it is recorded and delivered once however many run.
 */
public final class EventsConsumer {

  private final Vertx vertx;
  private final EventSubscriptionDelivery delivery;
  private MessageConsumer<FerryEvent> consumer;

  public EventsConsumer(Vertx vertx, EventSubscriptionDelivery delivery) {
    this.vertx = vertx;
    this.delivery = delivery;
  }

  /** Starts consuming events; completes once the consumer has reached the cluster. */
  public Future<Void> register() {
    return Bus.serve(vertx, Endpoints.EVENT_RECORD, event -> {
      delivery.onEvent(event);
      return Future.<Void>succeededFuture();
    }).onSuccess(registered -> consumer = registered).mapEmpty();
  }

  /** Stops consuming events and retrying deliveries. */
  public Future<Void> unregister() {
    delivery.stop();
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
