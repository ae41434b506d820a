package io.ferry.gateway.core;

import io.ferry.contracts.model.PublishedBatch;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The live feed of one queue on this gateway: one subscription to its published batches, fanned out to the
 * queue's followers. Confined to the {@link LiveFeeds} context.
 */
final class Feed {

  private LiveSources.Registration registration;
  // Followers grouped by the event loop's own context, so one batch costs one task per event loop rather than
  // one per socket. Not by the follower's context: each socket's is a duplicate of Vert.x's for its HTTP
  // request, so grouping by it made a group (a task, and a cross-thread hand-over) per socket.
  // The lists are immutable and replaced on change: a dispatched task may still be iterating the old one.
  private final Map<Context, List<Follower>> followersByContext = new HashMap<>();
  private int size;
  // The highest sequence the feed brought or history told as the head; -1 before either.
  private long highest = -1;
  // When history is next asked for the head, and how long the quiet is from then to the one after.
  private long headCheckAtMs;
  private long headCheckAfterMs = FIRST_HEAD_CHECK_MS;
  private boolean checkingHead;
  // A batch came since the last headCheckDue: the quiet starts again.
  private boolean broughtSinceTick;

  // A quiet feed asks history for the queue's head this long after its last batch (or its start), then at
  // twice the interval each time nothing was missed, up to the last: a tail missed in the moment a feed
  // starts or its queue moves is found within a second, and an idle queue costs a read a minute.
  static final long FIRST_HEAD_CHECK_MS = 1_000;
  static final long LAST_HEAD_CHECK_MS = 64_000;

  private Feed() {
  }

  /** Subscribes to the queue's published batches on the current (LiveFeeds) context. */
  static Feed open(LiveSources sources, String queueId, long nowMs) {
    Feed feed = new Feed();
    feed.registration = sources.published(queueId, feed::dispatch);
    feed.headCheckAtMs = nowMs + FIRST_HEAD_CHECK_MS;
    return feed;
  }

  /** Whether history should be asked for the queue's head now: the feed has been quiet long enough. */
  boolean headCheckDue(long nowMs) {
    if (broughtSinceTick) {
      broughtSinceTick = false;
      headCheckAfterMs = FIRST_HEAD_CHECK_MS;
      headCheckAtMs = nowMs + FIRST_HEAD_CHECK_MS;
      return false;
    }
    return !checkingHead && nowMs >= headCheckAtMs;
  }

  /**
   * Starts a head check: history's answer goes to {@link #headIs}. A head check is not started again before
   * that.
   */
  void checkingHead() {
    checkingHead = true;
  }

  /**
   * History told the queue's head: followers hear of it when it is above anything the feed brought, and the
   * next check waits twice as long when nothing was missed.
   */
  void headIs(long head, long nowMs) {
    checkingHead = false;
    boolean missed = head > highest;
    if (missed) {
      highest = head;
      for (List<Follower> group : followersByContext.values()) {
        for (Follower follower : group) {
          follower.context().runOnContext(v -> follower.onHead(head));
        }
      }
    }
    headCheckAfterMs = missed ? FIRST_HEAD_CHECK_MS : Math.min(LAST_HEAD_CHECK_MS, headCheckAfterMs * 2);
    headCheckAtMs = nowMs + headCheckAfterMs;
  }

  /** The head check failed (messaging is away): the next one after the first interval. */
  void headUnknown(long nowMs) {
    checkingHead = false;
    headCheckAtMs = nowMs + FIRST_HEAD_CHECK_MS;
  }

  /** Completes once the subscription has reached the (cluster-wide) bus. */
  Future<Void> registration() {
    return registration.registered();
  }

  void add(Follower follower) {
    Context loop = loopOf(follower);
    List<Follower> group = new ArrayList<>(followersByContext.getOrDefault(loop, List.of()));
    group.add(follower);
    followersByContext.put(loop, List.copyOf(group));
    size++;
  }

  private static Context loopOf(Follower follower) {
    return follower.context() instanceof ContextInternal context ? context.unwrap() : follower.context();
  }

  /** Whether the follower was here. */
  boolean remove(Follower follower) {
    Context loop = loopOf(follower);
    List<Follower> group = followersByContext.get(loop);
    if (group == null || !group.contains(follower)) {
      return false;
    }
    List<Follower> rest = new ArrayList<>(group);
    rest.remove(follower);
    if (rest.isEmpty()) {
      followersByContext.remove(loop);
    } else {
      followersByContext.put(loop, List.copyOf(rest));
    }
    size--;
    return true;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  Future<Void> close() {
    return registration.cancel();
  }

  /**
   * Removes the followers that match and ends each on its own context; the futures complete once each has
   * closed.
   */
  List<Future<Void>> endWhere(Predicate<Follower> which, WebSocketCloseStatus closeStatus, String reason) {
    List<Future<Void>> endings = new ArrayList<>();
    for (Iterator<Map.Entry<Context, List<Follower>>> groups = followersByContext.entrySet().iterator();
        groups.hasNext(); ) {
      Map.Entry<Context, List<Follower>> group = groups.next();
      List<Follower> staying = new ArrayList<>();
      for (Follower follower : group.getValue()) {
        if (!which.test(follower)) {
          staying.add(follower);
          continue;
        }
        Promise<Void> ended = Promise.promise();
        follower.context().runOnContext(v -> follower.end(closeStatus, reason).onComplete(ended));
        endings.add(ended.future());
      }
      if (staying.isEmpty()) {
        groups.remove();
      } else if (staying.size() < group.getValue().size()) {
        group.setValue(List.copyOf(staying));
      }
    }
    size -= endings.size();
    return endings;
  }

  // Runs on the event loop's own context; each follower still gets the frames on its own (duplicate) context,
  // in this thread and this task, as Follower promises.
  private static void deliver(Follower follower, List<Frame> frames) {
    if (follower.context() instanceof ContextInternal context) {
      context.dispatch(frames, follower::onFrames);
    } else {
      follower.onFrames(frames);
    }
  }

  private void dispatch(PublishedBatch batch) {
    if (batch == null || batch.messages() == null || batch.messages().isEmpty()) {
      return;
    }
    FrameBatch frames = FrameBatch.of(Frame.allOf(batch.messages()));
    highest = Math.max(highest, frames.lastSequence());
    broughtSinceTick = true;
    try {
      for (Map.Entry<Context, List<Follower>> group : followersByContext.entrySet()) {
        List<Follower> followers = group.getValue();
        frames.retain();
        group.getKey().runOnContext(v -> {
          try {
            for (Follower follower : followers) {
              deliver(follower, frames);
            }
          } finally {
            frames.release();
          }
        });
      }
    } finally {
      frames.release();
    }
  }
}
