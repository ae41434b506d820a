package io.ferry.gateway.core;

import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.PublishedBatch;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/** Where the live side's announcements come from: each queue's published batches and Ferry's events. */
public interface LiveSources {

  /** Follows what is published on one queue, until the returned registration is cancelled. */
  Registration published(String queueId, Handler<PublishedBatch> handler);

  /** Follows Ferry's events (docs/webhooks.md), until the returned registration is cancelled. */
  Registration events(Handler<FerryEvent> handler);

  /** One subscription to a source. */
  interface Registration {

    /** Completes once the subscription has reached every node, so nothing announced later is missed. */
    Future<Void> registered();

    Future<Void> cancel();
  }
}
