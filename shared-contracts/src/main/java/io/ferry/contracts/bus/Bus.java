package io.ferry.contracts.bus;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Handler;
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

  /** Sends a request to {@code endpoint}; the future fails with a {@link FerryException} on any failure. */
  public static <Q, R> Future<R> request(Vertx vertx, Endpoint<Q, R> endpoint, Q payload) {
    return request(vertx, endpoint.address(), payload);
  }

  /** As {@link #request(Vertx, Endpoint, Object)}, with its own reply timeout. */
  public static <Q, R> Future<R> request(Vertx vertx, Endpoint<Q, R> endpoint, Q payload, long timeoutMs) {
    return request(vertx, endpoint.address(), payload, timeoutMs);
  }

  /**
   * Serves {@code endpoint} (cluster-wide), replying with the handler's result or its failure as a domain
   * error. The returned future completes once the registration has reached the cluster.
   */
  public static <Q, R> Future<MessageConsumer<Q>> serve(Vertx vertx, Endpoint<Q, R> endpoint,
      Function<Q, Future<R>> handler) {
    return serve(vertx, endpoint.address(), handler);
  }

  /**
   * Sends to one handler of {@code endpoint} in the cluster, which gives no answer; nothing tells the sender
   * whether one received it.
   */
  public static <Q> void send(Vertx vertx, Endpoint<Q, Void> endpoint, Q payload) {
    vertx.eventBus().send(endpoint.address(), payload);
  }

  /** Publishes to every subscriber of {@code topic} in the cluster. */
  public static <T> void publish(Vertx vertx, Topic<T> topic, T payload) {
    vertx.eventBus().publish(topic.address(), payload);
  }

  /** Subscribes to {@code topic}; unregister the returned consumer to stop. */
  public static <T> MessageConsumer<T> subscribe(Vertx vertx, Topic<T> topic, Handler<T> handler) {
    return vertx.eventBus().<T>consumer(topic.address(), message -> handler.handle(message.body()));
  }
}
