package io.ferry.gateway.core;

import io.ferry.gateway.config.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Opens live subscriptions (WebSocket) and long polls: each follows its queue's feed and, when it finishes,
 * stops following.
 */
public final class Subscriptions {

  private final LiveFeeds feeds;
  private final HistoryReader history;
  private final GatewayConfig config;
  private final HeldBytes heldBytes;

  public Subscriptions(LiveFeeds feeds, HistoryReader history, GatewayConfig config) {
    this.feeds = feeds;
    this.history = history;
    this.config = config;
    this.heldBytes = new HeldBytes(config.maxHeldBytes(), config.maxTotalHeldBytes());
  }

  public GatewayConfig config() {
    return config;
  }

  /** Bytes held in memory for every open socket together. */
  public long heldBytes() {
    return heldBytes.total();
  }

  /** Sockets closed with 1013 so far for falling behind. */
  public long closedBehind() {
    return heldBytes.closedBehind();
  }

  /**
   * Opens a subscription on the caller's context (the socket's event loop). The future completes once the
   * queue's live feed is registered, i.e. when it is safe to let the client see the socket open.
   *
   * @param key the frame id to follow, or {@code null} for every message of the queue
   * @param expiresAtMs when the subscriber's credential expires (the socket is then closed with 1008); 0: never
   */
  public Future<Subscription> open(String queueId, String key, StartPosition start, long expiresAtMs) {
    Context context = callerContext();
    Subscription subscription = new Subscription(context, queueId, key, start, expiresAtMs, history, config,
        heldBytes, finished -> feeds.unfollow(finished.queueId(), finished));
    return feeds.follow(queueId, subscription).map(subscription);
  }

  /**
   * Starts a long poll on the caller's context; its {@link LongPoll#answer()} completes with what to send.
   *
   * @param waitMs how long to wait for a live message when nothing retained matches
   */
  public LongPoll poll(String queueId, String key, StartPosition start, long waitMs) {
    Context context = callerContext();
    LongPoll poll = new LongPoll(context, queueId, key, start, waitMs, history, config.historyPageSize(),
        config.maxHeldFrames(), heldBytes, finished -> feeds.unfollow(queueId, finished));
    feeds.follow(queueId, poll).onComplete(ar -> {
      if (ar.succeeded()) {
        poll.begin();
      } else {
        poll.fail(ar.cause());
      }
    });
    return poll;
  }

  private static Context callerContext() {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("subscriptions are opened on a Vert.x context");
    }
    return context;
  }
}
