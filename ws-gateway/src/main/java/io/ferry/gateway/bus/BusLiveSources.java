package io.ferry.gateway.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.gateway.core.LiveSources;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/** Published batches and events as they cross the event bus. */
public final class BusLiveSources implements LiveSources {

  private final Vertx vertx;

  public BusLiveSources(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Registration published(String queueId, Handler<PublishedBatch> handler) {
    return registration(Bus.subscribe(vertx, Endpoints.published(queueId), handler));
  }

  @Override
  public Registration events(Handler<FerryEvent> handler) {
    return registration(Bus.subscribe(vertx, Endpoints.EVENTS, handler));
  }

  private static Registration registration(MessageConsumer<?> consumer) {
    return new Registration() {
      @Override
      public Future<Void> registered() {
        return consumer.completion();
      }

      @Override
      public Future<Void> cancel() {
        return consumer.unregister();
      }
    };
  }
}
