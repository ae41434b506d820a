package io.ferry.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.gateway.config.GatewayConfig;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket whose closing handshake has begun (the client sent its close frame) stays open until the connection
 * ends, and Vert.x refuses to be asked whether its write queue is full meanwhile: frames published then are
 * dropped quietly, and the subscription ends when the connection does.
 */
class SubscriptionClosingTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void framesPublishedWhileTheSocketIsClosingAreNotWrittenAndTheCloseEndsTheSubscription() throws Exception {
    Context context = vertx.getOrCreateContext();
    GatewayConfig config = GatewayConfig.from(io.ferry.contracts.config.ConfigReader.of(Map.of()));
    AtomicBoolean finished = new AtomicBoolean();
    ClosingSink sink = new ClosingSink();
    Subscription subscription = on(context, () -> {
      Subscription s = new Subscription(context, "q", null, StartPosition.LIVE, 0,
          request -> Future.failedFuture("no history here"), config, new HeldBytes(1 << 20, 1 << 30),
          done -> finished.set(true));
      s.attach(sink);
      return s;
    });

    on(context, () -> deliver(subscription, 1, 2));
    sink.closing = true;
    on(context, () -> deliver(subscription, 3, 4));
    assertEquals(List.of(1L, 2L), sink.written);
    assertFalse(finished.get(), "the connection has not ended yet");

    on(context, () -> {
      sink.closed.handle(null);
      return null;
    });
    assertTrue(finished.get());
  }

  private static Void deliver(Subscription subscription, long... sequences) {
    List<StoredMessage> messages = new ArrayList<>();
    for (long sequence : sequences) {
      messages.add(new StoredMessage("id-" + sequence, "q", sequence, null, ContentType.TEXT,
          ("m" + sequence).getBytes(StandardCharsets.UTF_8), 0, 0));
    }
    FrameBatch batch = FrameBatch.of(Frame.allOf(messages));
    try {
      subscription.onFrames(batch);
    } finally {
      batch.release();
    }
    return null;
  }

  // On the context's own event loop, as the gateway calls a subscription.
  private static <T> T on(Context context, Callable<T> work) throws Exception {
    java.util.concurrent.CompletableFuture<T> done = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        done.complete(work.call());
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    return done.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Refuses writeQueueFull once closing, as Vert.x's ServerWebSocket does once a close frame has passed. */
  private static final class ClosingSink implements FrameSink {

    volatile boolean closing;
    final List<Long> written = new ArrayList<>();
    Handler<Void> closed;

    @Override
    public void write(Frame frame) {
      written.add(frame.sequence());
    }

    @Override
    public Future<Void> flush() {
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      if (closing) {
        throw new IllegalStateException("WebSocket is closed");
      }
      return false;
    }

    @Override
    public boolean isClosing() {
      return closing;
    }

    @Override
    public void ping() {
    }

    @Override
    public void onPong(Handler<Void> handler) {
    }

    @Override
    public void onClosed(Handler<Void> handler) {
      closed = handler;
    }

    @Override
    public void onShutdown(Handler<Void> handler) {
    }

    @Override
    public Future<Void> close(WebSocketCloseStatus status, String reason) {
      return Future.succeededFuture();
    }
  }
}
