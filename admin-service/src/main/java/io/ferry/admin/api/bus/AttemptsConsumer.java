package io.ferry.admin.api.bus;

import io.ferry.admin.core.AttemptHistory;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Serves {@link Endpoints#WEBHOOK_ATTEMPTS_RECORD}: hands each dispatcher's batch of attempts to
 * {@link AttemptHistory}. Each batch reaches one admin instance, which writes it to the shared store.
 */
public final class AttemptsConsumer {

  private final Vertx vertx;
  private final AttemptHistory history;
  private MessageConsumer<?> consumer;

  public AttemptsConsumer(Vertx vertx, AttemptHistory history) {
    this.vertx = vertx;
    this.history = history;
  }

  /** Starts consuming attempts; completes once the consumer has reached the cluster. */
  public Future<Void> register() {
    return Bus.serve(vertx, Endpoints.WEBHOOK_ATTEMPTS_RECORD, batch -> {
      history.record(batch.attempts());
      return Future.<Void>succeededFuture();
    }).onSuccess(registered -> consumer = registered).mapEmpty();
  }

  /** Stops consuming; what was received is still written ({@link AttemptHistory#flush}). */
  public Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
