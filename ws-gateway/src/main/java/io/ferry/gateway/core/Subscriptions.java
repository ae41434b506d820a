package io.ferry.gateway.core;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Opens live subscriptions: each follows its queue's feed and, when it finishes, stops following. */
public final class Subscriptions {

  private final LiveFeeds feeds;
  private final HistoryReader history;
  private final SocketLimits limits;

  public Subscriptions(LiveFeeds feeds, HistoryReader history, SocketLimits limits) {
    this.feeds = feeds;
    this.history = history;
    this.limits = limits;
  }

  public SocketLimits limits() {
    return limits;
  }

  /**
   * Opens a subscription on the caller's context (the socket's event loop). The future completes once the
   * queue's live feed is registered, i.e. when it is safe to let the client see the socket open.
   *
   * @param key the frame id to follow, or {@code null} for every message of the queue
   */
  public Future<Subscription> open(String queueId, String key, StartPosition start) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("subscriptions are opened on a Vert.x context");
    }
    Subscription subscription = new Subscription(context, queueId, key, start, history, limits,
        finished -> feeds.unfollow(finished.queueId(), finished));
    return feeds.follow(queueId, subscription).map(subscription);
  }
}
