package io.ferry.messaging.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.messaging.core.LiveFeed;
import io.vertx.core.Vertx;

/** Publishes durable messages on their queue's live address, where every node's subscribers listen. */
public final class BusLiveFeed implements LiveFeed {

  private final Vertx vertx;

  public BusLiveFeed(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void published(PublishedBatch batch) {
    Bus.publish(vertx, Endpoints.published(batch.queueId()), batch);
  }
}
