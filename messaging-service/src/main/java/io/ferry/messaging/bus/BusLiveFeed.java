package io.ferry.messaging.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.bus.Topic;
import io.ferry.contracts.bus.TopicListeners;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.messaging.core.LiveFeed;
import io.vertx.core.Vertx;

/**
 * Publishes durable messages on their queue's live address, where every node's subscribers listen. On a
 * standalone node a batch of a queue nobody follows is not published at all (see {@link TopicListeners} for
 * why that loses nothing); in a cluster every batch is.
 */
public final class BusLiveFeed implements LiveFeed {

  private final Vertx vertx;
  private final TopicListeners listeners;

  public BusLiveFeed(Vertx vertx) {
    this.vertx = vertx;
    this.listeners = TopicListeners.of(vertx);
  }

  @Override
  public void published(PublishedBatch batch) {
    Topic<PublishedBatch> topic = Endpoints.published(batch.queueId());
    if (listeners.mayHear(topic)) {
      Bus.publish(vertx, topic, batch);
    }
  }
}
