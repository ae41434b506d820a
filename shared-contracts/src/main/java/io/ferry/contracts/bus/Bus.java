package io.ferry.contracts.bus;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed request/reply over the event bus with domain errors carried across: a handler that fails with a
 * {@link FerryException} makes the requester's future fail with the same code and message.
 */
public final class Bus {

  private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

  private Bus() {
  }

  public static <R> Future<R> request(Vertx vertx, String address, Object payload) {
    return request(vertx, address, payload, 30_000);
  }

  /** Sends a request; the future fails with a {@link FerryException} on any failure. */
  public static <R> Future<R> request(Vertx vertx, String address, Object payload, long timeoutMs) {
    return vertx.eventBus()
        .<R>request(address, payload, new DeliveryOptions().setSendTimeout(timeoutMs))
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(ar.result().body())
            : Future.failedFuture(FerryException.from(ar.cause())));
  }

  /**
   * Serves requests on an address (cluster-wide), replying with the handler's result or its failure as a
   * domain error. The returned future completes once the registration has reached the cluster.
   */
  public static <T, R> Future<MessageConsumer<T>> serve(Vertx vertx, String address,
      Function<T, Future<R>> handler) {
    MessageConsumer<T> consumer = vertx.eventBus().consumer(address, message -> {
      Future<R> result;
      try {
        result = handler.apply(message.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result());
        } else {
          FerryException error = FerryException.from(ar.cause());
          if (error.code() == ErrorCode.INTERNAL) {
            LOG.error("handler for {} failed", address, ar.cause());
          }
          error.replyTo(message);
        }
      });
    });
    return consumer.completion().map(consumer);
  }
}
