package io.ferry.system;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Sonya WebSocket subscriber on the JDK's WebSocket client, keeping every frame it receives. */
final class LiveSubscriber implements WebSocket.Listener, AutoCloseable {

  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /** Connects to {@code wsUrl} (e.g. ws://host:port/queue/listen/ws/name?access_token=...). */
  static LiveSubscriber connect(HttpClient client, String wsUrl) throws Exception {
    LiveSubscriber subscriber = new LiveSubscriber();
    subscriber.socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create(wsUrl), subscriber).get(15, TimeUnit.SECONDS);
    return subscriber;
  }

  JsonObject next(Duration timeout) throws InterruptedException {
    JsonObject frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new AssertionError("no WebSocket frame within " + timeout);
    }
    return frame;
  }

  /** The next frame, or null when none arrives within {@code timeout}. */
  JsonObject poll(Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the server closed the stream or the connection failed. */
  boolean ended() {
    return closed.isDone();
  }

  /** Drops the connection without a close handshake, as a client whose network went away. */
  void abort() {
    if (socket != null) {
      socket.abort();
    }
  }

  /** The close code the server sent, waiting at most {@code timeout}. */
  int awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether no frame arrives within {@code quiet}. */
  boolean nothingWithin(Duration quiet) throws InterruptedException {
    return frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(new JsonObject(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }
}
