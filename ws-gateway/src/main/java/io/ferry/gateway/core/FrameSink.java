package io.ferry.gateway.core;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/** Where a subscription writes its frames: the WebSocket, kept behind this so the core has no HTTP. */
public interface FrameSink {

  /** Queues the frame's TEXT frame; nothing is sent before the next {@link #flush()}. */
  void write(Frame frame);

  /** Queues every frame of the batch, as {@link #write(Frame)} each would; valid only during the call's task. */
  default void write(FrameBatch batch) {
    for (Frame frame : batch) {
      write(frame);
    }
  }

  /**
   * Sends what was queued, in order, in as few writes to the network as it takes; completes once all of it
   * has left for the peer (or failed to: the socket closed). One flush per batch of frames rather than one
   * per frame is what keeps a busy queue from costing a system call per frame per socket.
   */
  Future<Void> flush();

  /** Whether more than the per-socket bound is waiting to be sent. Not to be asked once {@link #isClosing()}. */
  boolean writeQueueFull();

  /**
   * Whether the closing handshake has begun (either side sent its close frame) though the connection may not
   * have ended yet: no frame may follow the close frame, and {@link #onClosed} comes once the connection ends.
   */
  default boolean isClosing() {
    return false;
  }

  /** Sends a keep-alive ping; the peer answers with a pong. */
  void ping();

  /** Called on each pong from the peer. */
  void onPong(Handler<Void> handler);

  /** Called once the sink is closed, by either side. */
  void onClosed(Handler<Void> handler);

  /** Called when the server starts shutting down. */
  void onShutdown(Handler<Void> handler);

  Future<Void> close(WebSocketCloseStatus status, String reason);
}
