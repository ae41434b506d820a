package io.ferry.gateway.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live side of every subscription on this Vert.x instance: ONE event-bus consumer per followed queue,
 * registered when the first follower arrives and unregistered when the last leaves, so a gateway only
 * receives the queues its clients follow. Its state is confined to this verticle's context; followers call
 * in from their own event loops and get their answers back there.
 */
public final class LiveFeeds extends VerticleBase {

  /** WebSocket close code for a server going away. */
  public static final short GOING_AWAY = 1001;

  private final Map<String, Feed> feeds = new HashMap<>();
  // Mirrors of the confined state, readable from any thread (readiness, gauges).
  private final AtomicInteger followerCount = new AtomicInteger();
  private final AtomicInteger feedCount = new AtomicInteger();
  private volatile boolean open;

  @Override
  public Future<?> start() {
    open = true;
    return Future.succeededFuture();
  }

  /** Ends every follower with 1001 and unregisters every consumer. */
  @Override
  public Future<?> stop() {
    open = false;
    List<Future<?>> pending = new ArrayList<>();
    for (Feed feed : feeds.values()) {
      pending.addAll(feed.endAll(GOING_AWAY, "server shutting down"));
      pending.add(feed.close());
    }
    feeds.clear();
    followerCount.set(0);
    feedCount.set(0);
    return Future.join(pending).otherwiseEmpty();
  }

  public boolean isOpen() {
    return open;
  }

  public int followerCount() {
    return followerCount.get();
  }

  public int followedQueueCount() {
    return feedCount.get();
  }

  /**
   * Adds a follower to the queue's feed. The future completes on the caller's context once the queue's
   * consumer is registered, so that nothing published afterwards can miss the follower; frames may reach
   * the follower before that.
   */
  public Future<Void> follow(String queueId, Follower follower) {
    Context caller = vertx.getOrCreateContext();
    Promise<Void> registered = Promise.promise();
    context.runOnContext(v -> {
      if (!open) {
        registered.fail(new FerryException(ErrorCode.UNAVAILABLE, "the gateway is shutting down"));
        return;
      }
      Feed feed = feeds.computeIfAbsent(queueId, id -> {
        feedCount.incrementAndGet();
        return Feed.open(vertx, id);
      });
      feed.add(follower);
      followerCount.incrementAndGet();
      feed.registration().onComplete(ar -> {
        if (ar.failed()) {
          unfollowHere(queueId, follower);
        }
        registered.handle(ar);
      });
    });
    Promise<Void> answer = Promise.promise();
    registered.future().onComplete(ar -> caller.runOnContext(v -> answer.handle(ar)));
    return answer.future();
  }

  /** Removes a follower; the queue's consumer goes when its last follower does. */
  public void unfollow(String queueId, Follower follower) {
    context.runOnContext(v -> unfollowHere(queueId, follower));
  }

  private void unfollowHere(String queueId, Follower follower) {
    Feed feed = feeds.get(queueId);
    if (feed == null || !feed.remove(follower)) {
      return;
    }
    followerCount.decrementAndGet();
    if (feed.isEmpty()) {
      feeds.remove(queueId);
      feedCount.decrementAndGet();
      feed.close();
    }
  }
}
