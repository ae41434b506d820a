package io.ferry.gateway.api;

import io.ferry.gateway.core.FrameSink;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A subscriber's WebSocket as the core sees it: TEXT frames out, a bounded write queue, pings and pongs. */
final class WebSocketSink implements FrameSink {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketSink.class);

  private final ServerWebSocket socket;

  WebSocketSink(ServerWebSocket socket, int maxQueuedBytes) {
    this.socket = socket;
    socket.setWriteQueueMaxSize(maxQueuedBytes);
    // Subscribers have nothing to say; whatever they send is read and dropped so it cannot pile up.
    socket.handler(ignored -> { });
    socket.exceptionHandler(e -> LOG.debug("subscriber socket failed", e));
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
  public Future<Void> close(short code, String reason) {
    return socket.isClosed() ? Future.succeededFuture() : socket.close(code, reason);
  }
}
