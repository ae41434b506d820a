package io.ferry.gateway.api;

import io.ferry.gateway.core.FrameSink;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscriber's WebSocket as the core sees it: TEXT frames out, a bounded write queue, pings and pongs.
 * What the subscriber sends is dropped, but first held to RFC 6455: a frame the decoder refuses (reserved
 * bits without a negotiated extension, an unmasked or oversized frame) closes the socket with the
 * decoder's code (1002, 1009), and text that is not UTF-8 with 1007.
 */
final class WebSocketSink implements FrameSink {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketSink.class);

  private final ServerWebSocket socket;
  private final Utf8Stream utf8 = new Utf8Stream();
  private boolean inTextMessage;
  private boolean refused;

  WebSocketSink(ServerWebSocket socket, int maxQueuedBytes) {
    this.socket = socket;
    socket.setWriteQueueMaxSize(maxQueuedBytes);
    // Read and dropped, so that it cannot pile up.
    socket.frameHandler(this::check);
    socket.exceptionHandler(this::failed);
  }

  private void check(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      inTextMessage = frame.isText();
    } else if (!frame.isContinuation()) {
      return;
    }
    if (inTextMessage && !refused && !utf8.accept(frame.binaryData().getBytes(), frame.isFinal())) {
      refuse(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "text frame is not UTF-8");
    }
  }

  // Netty's decoder stops reading after a protocol error and leaves the close to Vert.x, which leaves
  // it to the application: without this the socket would stay open, deaf, until the ping timeout.
  private void failed(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException corrupt) {
      LOG.debug("subscriber sent a frame that breaks RFC 6455: {}", e.getMessage());
      refuse(corrupt.closeStatus(), corrupt.closeStatus().reasonText());
    } else {
      LOG.debug("subscriber socket failed", e);
    }
  }

  private void refuse(WebSocketCloseStatus status, String reason) {
    refused = true;
    close(status, reason).onFailure(e -> LOG.debug("close failed", e));
  }

  @Override
  public Future<Void> write(String text) {
    return socket.writeTextMessage(text);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void onDrain(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  @Override
  public void ping() {
    socket.writePing(Buffer.buffer()).onFailure(e -> LOG.debug("ping failed", e));
  }

  @Override
  public void onPong(Handler<Void> handler) {
    socket.pongHandler(data -> handler.handle(null));
  }

  @Override
  public void onClosed(Handler<Void> handler) {
    socket.closeHandler(handler);
  }

  @Override
  public void onShutdown(Handler<Void> handler) {
    socket.shutdownHandler(handler);
  }

  @Override
  public Future<Void> close(WebSocketCloseStatus status, String reason) {
    return socket.isClosed() ? Future.succeededFuture() : socket.close((short) status.code(), reason);
  }
}
