package io.ferry.gateway.api;

import io.ferry.gateway.core.Frame;
import io.ferry.gateway.core.FrameBatch;
import io.ferry.gateway.core.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.List;
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

  private static final long CLOSE_GRACE_MS = 10_000;
  // A replayed page of large messages goes out in writes of about this size rather than one huge buffer.
  private static final int MAX_WRITE_BYTES = 64 * 1024;

  private final ServerWebSocket socket;
  // Frames go to the channel directly, as bytes encoded once for every socket, and what is written between
  // two flushes as ONE write: a whole live batch as a view of its joint bytes (no copy), other frames (replay,
  // an id filter) copied at the flush into one direct buffer, the copy Netty would make of each heap frame
  // anyway. With 1,000 sockets a batch of 10 frames is then 1,000 pipeline passes instead of 11,000. Vert.x's
  // own writes (pings, the close frame) still go through the socket and its queue; they never come between
  // a write and its flush, which run in one task. Null where the connection is not Vert.x's own (then frames
  // take the socket's one-write-per-frame path).
  private final Channel channel;
  private final List<ByteBuf> unsent = new ArrayList<>();
  private int unsentBytes;
  private ByteBuf unsentBatch;
  private Future<Void> lastWrite = Future.succeededFuture();
  private final Utf8Stream utf8 = new Utf8Stream();
  private boolean inTextMessage;
  private boolean refused;

  WebSocketSink(ServerWebSocket socket, HttpConnection connection, int maxQueuedBytes) {
    this.socket = socket;
    this.channel = connection instanceof ConnectionBase base ? base.channel() : null;
    // Sets the channel's water marks too, which is what writeQueueFull reads for the frames written here.
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
  public void write(Frame frame) {
    if (channel == null) {
      lastWrite = socket.writeFrame(WebSocketFrame.textFrame(frame.text(), true));
      return;
    }
    writeUnsentBatch();
    unsent.add(frame.wire());
    unsentBytes += frame.wire().readableBytes();
    if (unsentBytes >= MAX_WRITE_BYTES) {
      channel.write(takeUnsent(), channel.voidPromise());
    }
  }

  @Override
  public void write(FrameBatch batch) {
    if (channel == null) {
      FrameSink.super.write(batch);
      return;
    }
    writeUnsentBatch();
    if (!unsent.isEmpty()) {
      channel.write(takeUnsent(), channel.voidPromise());
    }
    unsentBatch = batch.wireForOneSocket();
  }

  @Override
  public Future<Void> flush() {
    if (channel == null) {
      return lastWrite;
    }
    ByteBuf last = unsentBatch != null ? unsentBatch : takeUnsent();
    unsentBatch = null;
    // With nothing unsent, an empty write: its promise completes once everything before it has left.
    Promise<Void> sent = Promise.promise();
    channel.writeAndFlush(last).addListener(done -> {
      if (done.isSuccess()) {
        sent.complete();
      } else {
        sent.fail(done.cause());
      }
    });
    return sent.future();
  }

  private void writeUnsentBatch() {
    if (unsentBatch != null) {
      channel.write(unsentBatch, channel.voidPromise());
      unsentBatch = null;
    }
  }

  // The frames' wire bytes are shared by every socket and never modified: they are read here, not retained.
  private ByteBuf takeUnsent() {
    if (unsent.isEmpty()) {
      return Unpooled.EMPTY_BUFFER;
    }
    ByteBuf batch = channel.alloc().directBuffer(unsentBytes);
    for (ByteBuf wire : unsent) {
      batch.writeBytes(wire, wire.readerIndex(), wire.readableBytes());
    }
    unsent.clear();
    unsentBytes = 0;
    return batch;
  }

  // Not channel.close(): Vert.x takes that for a graceful close, queues a close frame (1000, no reason) behind the
  // unsent frames and closes the connection only once that frame is written, which a peer that reads nothing
  // never lets happen; the connection, and the bytes queued for it, would stay. Closed from the head of the
  // pipeline, the transport drops them and the connection ends (Vert.x's close handlers still run).
  private void cutOff() {
    ChannelHandlerContext first = channel.pipeline().firstContext();
    if (first != null) {
      first.close();
    } else {
      channel.close();
    }
  }

  // Vert.x marks the socket closed as soon as a close frame is sent or received, and refuses writeQueueFull()
  // from then on (IllegalStateException); the close handler only runs once the connection has ended, which
  // behind a reader that has stopped reading can take as long as the close grace.
  @Override
  public boolean isClosing() {
    return socket.isClosed();
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull() || channel != null && !channel.isWritable();
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
    if (channel != null && !socket.isClosed()) {
      // Vert.x's close frame must follow the frames written to the channel here: it is sent once they have
      // left, and a peer that never takes them is cut off after the grace instead.
      Promise<Void> closed = Promise.promise();
      Vertx vertx = Vertx.currentContext().owner();
      long grace = vertx.setTimer(CLOSE_GRACE_MS, id -> cutOff());
      flush().onComplete(ar -> {
        vertx.cancelTimer(grace);
        socket.close((short) status.code(), reason).onComplete(closed);
      });
      return closed.future();
    }
    return socket.isClosed() ? Future.succeededFuture() : socket.close((short) status.code(), reason);
  }
}
