package io.ferry.dispatcher.core;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * Reads a webhook receiver's response body only to throw it away, and refuses bodies over a small cap: a
 * receiver must not be able to make the dispatcher hold or read an unbounded stream. Refusing fails the
 * request, which resets its connection.
 */
final class DiscardingBodyCodec implements BodyCodec<Void> {

  private final int maxBytes;

  DiscardingBodyCodec(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public BodyStream<Void> stream() {
    return new Discarding(maxBytes);
  }

  /** The failure of a request whose response body went over the cap. */
  static final class ResponseBodyTooLarge extends RuntimeException {
    ResponseBodyTooLarge(int maxBytes) {
      super("response body larger than " + maxBytes + " bytes", null, false, false);
    }
  }

  private static final class Discarding implements BodyStream<Void> {

    private final int maxBytes;
    private final Promise<Void> result = Promise.promise();
    private long received;

    Discarding(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public Future<Void> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer data) {
      received += data.length();
      if (received > maxBytes) {
        ResponseBodyTooLarge tooLarge = new ResponseBodyTooLarge(maxBytes);
        result.tryFail(tooLarge);
        return Future.failedFuture(tooLarge);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete();
      return Future.succeededFuture();
    }

    @Override
    public Discarding exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Discarding setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public Discarding drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
