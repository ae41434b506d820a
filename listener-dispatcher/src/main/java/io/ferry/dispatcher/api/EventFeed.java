package io.ferry.dispatcher.api;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;

/** Inbound: the cluster-wide admin and delivery events, handed to the registry. */
public final class EventFeed {

  private EventFeed() {
  }

  /** Completes once the subscription has reached the cluster, so no later event is missed. */
  public static Future<MessageConsumer<FerryEvent>> follow(Vertx vertx, Consumer<FerryEvent> handler) {
    MessageConsumer<FerryEvent> consumer = Bus.subscribe(vertx, Endpoints.EVENTS, handler::accept);
    return consumer.completion().map(consumer);
  }
}
