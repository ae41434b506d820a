package io.ferry.messaging.core;

import io.ferry.contracts.model.PublishedBatch;

/** Tells live subscribers (WebSocket listeners, dispatchers) about messages as soon as they are durable. */
public interface LiveFeed {

  void published(PublishedBatch batch);
}
