package io.ferry.messaging.core;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.messaging.store.MessageStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.LongSupplier;

/**
 * What every engine component shares: Vert.x, the store, the hot state, the clock, and the bytes of appends
 * handed to the store and not yet durable (bounded by {@code maxQueuedAppendBytes}).
 */
final class EngineRuntime {

  final Vertx vertx;
  final MessageStore store;
  final EngineState state;
  final long maxQueuedAppendBytes;
  long queuedAppendBytes;
  private final LongSupplier clock;

  EngineRuntime(Vertx vertx, MessageStore store, EngineState state, LongSupplier clock, long maxQueuedAppendBytes) {
    this.vertx = vertx;
    this.store = store;
    this.state = state;
    this.clock = clock;
    this.maxQueuedAppendBytes = maxQueuedAppendBytes;
  }

  long nowMs() {
    return clock.getAsLong();
  }

  void publishEvent(String type, String accountId, String resourceId, JsonObject payload) {
    vertx.eventBus().publish(Addresses.EVENTS,
        new FerryEvent(Ids.newId(), type, accountId, resourceId, nowMs(), payload));
  }
}
