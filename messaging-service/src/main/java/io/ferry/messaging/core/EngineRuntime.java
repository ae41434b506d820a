package io.ferry.messaging.core;

import io.ferry.messaging.store.MessageStore;
import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/** What every engine component shares: Vert.x, the store, the hot state and the clock. */
final class EngineRuntime {

  final Vertx vertx;
  final MessageStore store;
  final EngineState state;
  private final LongSupplier clock;

  EngineRuntime(Vertx vertx, MessageStore store, EngineState state, LongSupplier clock) {
    this.vertx = vertx;
    this.store = store;
    this.state = state;
    this.clock = clock;
  }

  long nowMs() {
    return clock.getAsLong();
  }
}
