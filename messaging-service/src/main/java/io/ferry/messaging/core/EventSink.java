package io.ferry.messaging.core;

import io.ferry.contracts.model.FerryEvent;

/** Where the engine reports what happened to messages (a message dead-lettered, say) for Ferry's event queues. */
public interface EventSink {

  void emit(FerryEvent event);
}
