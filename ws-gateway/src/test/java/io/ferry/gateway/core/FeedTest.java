package io.ferry.gateway.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.StoredMessage;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sockets on one event loop each have a context of their own (Vert.x duplicates it per HTTP request): the
 * feed hands a batch to the event loop once, and each follower still gets every frame, in order, on its own
 * context.
 */
class FeedTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void followersOnOneEventLoopGetEveryBatchInOrderEachOnItsOwnContext() {
    ContextInternal loopA = ((VertxInternal) vertx).createEventLoopContext();
    ContextInternal loopB = ((VertxInternal) vertx).createEventLoopContext();
    List<Recording> followers = new ArrayList<>();
    for (ContextInternal loop : List.of(loopA, loopB)) {
      for (int i = 0; i < 3; i++) {
        followers.add(new Recording(loop.duplicate()));
      }
    }
    Sources sources = new Sources();
    Feed feed = Feed.open(sources, "q", 0);
    followers.forEach(feed::add);

    sources.publish(message(1, "one"), message(2, "two"));
    sources.publish(message(3, "three"));

    await().atMost(Duration.ofSeconds(10)).until(() -> followers.stream().allMatch(f -> f.sequences.size() == 3));
    for (Recording follower : followers) {
      assertEquals(List.of(1L, 2L, 3L), follower.sequences);
      for (Context seen : follower.contexts) {
        assertSame(follower.context, seen);
      }
    }
  }

  @Test
  void aFollowerRemovedFromAnEventLoopGetsNothingMoreTheOthersThereStillDo() {
    ContextInternal loop = ((VertxInternal) vertx).createEventLoopContext();
    Recording staying = new Recording(loop.duplicate());
    Recording leaving = new Recording(loop.duplicate());
    Sources sources = new Sources();
    Feed feed = Feed.open(sources, "q", 0);
    feed.add(staying);
    feed.add(leaving);
    assertEquals(true, feed.remove(leaving));

    sources.publish(message(1, "one"));

    await().atMost(Duration.ofSeconds(10)).until(() -> staying.sequences.size() == 1);
    assertEquals(List.of(), leaving.sequences);
    assertEquals(1, feed.size());
  }

  private static StoredMessage message(long sequence, String body) {
    return new StoredMessage(io.ferry.contracts.model.Ids.newId(), "q", sequence, null, ContentType.TEXT,
        body.getBytes(StandardCharsets.UTF_8), 0, 0);
  }

  private static final class Recording implements Follower {

    final Context context;
    final List<Long> sequences = Collections.synchronizedList(new ArrayList<>());
    final List<Context> contexts = Collections.synchronizedList(new ArrayList<>());

    Recording(Context context) {
      this.context = context;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public String key() {
      return null;
    }

    @Override
    public void onFrames(List<Frame> frames) {
      contexts.add(Vertx.currentContext());
      frames.forEach(frame -> sequences.add(frame.sequence()));
    }

    @Override
    public Future<Void> end(WebSocketCloseStatus closeStatus, String reason) {
      return Future.succeededFuture();
    }
  }

  private static final class Sources implements LiveSources {

    private Handler<PublishedBatch> published;

    void publish(StoredMessage... messages) {
      published.handle(new PublishedBatch("q", List.of(messages)));
    }

    @Override
    public Registration published(String queueId, Handler<PublishedBatch> handler) {
      published = handler;
      return registration();
    }

    @Override
    public Registration events(Handler<FerryEvent> handler) {
      return registration();
    }

    private static Registration registration() {
      return new Registration() {
        @Override
        public Future<Void> registered() {
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> cancel() {
          return Future.succeededFuture();
        }
      };
    }
  }
}
