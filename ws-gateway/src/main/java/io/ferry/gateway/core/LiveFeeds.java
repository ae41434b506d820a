package io.ferry.gateway.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.HistoryRequest;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The live side of every subscription on this Vert.x instance: ONE subscription per followed queue,
 * registered when the first follower arrives and unregistered when the last leaves, so a gateway only
 * receives the queues its clients follow. It also follows Ferry's events to end the followers of a deleted
 * queue, or of a deleted id, with a normal closure. Its state is confined to this verticle's context;
 * followers call in from their own event loops and get their answers back there.
 */
public final class LiveFeeds extends VerticleBase {

  // How often the quiet feeds are looked at for a head check (Feed.FIRST_HEAD_CHECK_MS).
  static final long HEAD_CHECK_TICK_MS = 250;

  private final LiveSources sources;
  private final HistoryReader history;
  private final Map<String, Feed> feeds = new HashMap<>();
  // Mirrors of the confined state, readable from any thread (readiness, gauges).
  private final AtomicInteger followerCount = new AtomicInteger();
  private final AtomicInteger feedCount = new AtomicInteger();
  private volatile boolean open;
  private LiveSources.Registration events;
  private long headChecks = -1;

  public LiveFeeds(LiveSources sources, HistoryReader history) {
    this.sources = sources;
    this.history = history;
  }

  @Override
  public Future<?> start() {
    events = sources.events(this::onEvent);
    headChecks = vertx.setPeriodic(HEAD_CHECK_TICK_MS, id -> checkQuietFeeds());
    return events.registered().onSuccess(v -> open = true);
  }

  // The bus's publication of a batch reaches the gateways it knows to follow the queue: one whose subscription
  // it had not learnt yet (within milliseconds of it), or one meant for an instance that died before it
  // published, leaves the followers behind until a later batch shows the hole, which at the tail of a burst
  // may never come. History tells the head.
  private void checkQuietFeeds() {
    long now = System.currentTimeMillis();
    feeds.forEach((queueId, feed) -> {
      if (!feed.headCheckDue(now)) {
        return;
      }
      feed.checkingHead();
      history.read(new HistoryRequest(queueId, Long.MAX_VALUE, null, 1)).onComplete(read -> {
        long at = System.currentTimeMillis();
        if (read.succeeded()) {
          feed.headIs(read.result().headSequence(), at);
        } else {
          feed.headUnknown(at);
        }
      });
    });
  }

  /** Ends every follower with 1001 (going away) and cancels every subscription. */
  @Override
  public Future<?> stop() {
    open = false;
    vertx.cancelTimer(headChecks);
    List<Future<?>> pending = new ArrayList<>();
    if (events != null) {
      pending.add(events.cancel());
    }
    for (Feed feed : feeds.values()) {
      pending.addAll(feed.endWhere(follower -> true, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE,
          "server shutting down"));
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
   * subscription is registered, so that nothing published afterwards can miss the follower; frames may reach
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
        return Feed.open(sources, id, System.currentTimeMillis());
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

  /** Removes a follower; the queue's subscription goes when its last follower does. */
  public void unfollow(String queueId, Follower follower) {
    context.runOnContext(v -> unfollowHere(queueId, follower));
  }

  private void onEvent(FerryEvent event) {
    if (event == null || event.type() == null) {
      return;
    }
    JsonObject payload = event.payload() == null ? new JsonObject() : event.payload();
    String queueId = payload.getString("queue_id", event.resourceId());
    if (queueId == null) {
      return;
    }
    if (event.type().equals(EventTypes.QUEUE_DELETED)) {
      endFollowers(queueId, follower -> true, "queue deleted");
    } else if (event.type().equals(EventTypes.MESSAGES_DELETED_BY_KEY)) {
      String id = payload.getString("id");
      if (id != null) {
        endFollowers(queueId, follower -> id.equals(follower.key()), "id deleted");
      }
    }
  }

  private void endFollowers(String queueId, Predicate<Follower> which, String reason) {
    Feed feed = feeds.get(queueId);
    if (feed == null) {
      return;
    }
    // Nothing more will come for them: a normal closure.
    int ended = feed.endWhere(which, WebSocketCloseStatus.NORMAL_CLOSURE, reason).size();
    followerCount.addAndGet(-ended);
    if (feed.isEmpty()) {
      feeds.remove(queueId);
      feedCount.decrementAndGet();
      feed.close();
    }
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
