package io.ferry.gateway;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A subscriber's socket as the test sees it: received frames, and how it was closed. */
final class TestSocket {

  final WebSocket socket;
  final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Short> closeStatus = new CompletableFuture<>();

  TestSocket(WebSocket socket) {
    this.socket = socket;
    socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
    socket.closeHandler(v -> closeStatus.complete(socket.closeStatusCode()));
  }

  JsonObject next() throws InterruptedException {
    JsonObject frame = frames.poll(5, TimeUnit.SECONDS);
    assertNotNull(frame, "expected a frame within 5 s");
    return frame;
  }

  void assertNoFrameWithin(long millis) throws InterruptedException {
    assertNull(frames.poll(millis, TimeUnit.MILLISECONDS), "expected no further frame");
  }

  short awaitClose() throws Exception {
    Short status = closeStatus.get(15, TimeUnit.SECONDS);
    return status == null ? -1 : status;
  }

  void close() throws Exception {
    socket.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
