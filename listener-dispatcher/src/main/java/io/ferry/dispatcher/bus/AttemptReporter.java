package io.ferry.dispatcher.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.WebhookAttempt;
import io.ferry.contracts.model.WebhookAttemptBatch;
import io.ferry.dispatcher.core.AttemptLog;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports attempts to admin-service in batches: whatever was attempted within {@link #FLUSH_MS} (or
 * {@link #MAX_BATCH} attempts, whichever comes first) goes in one message, so a busy dispatcher costs admin a
 * few store writes a second rather than one per delivery. The log is best effort: a batch sent while no admin
 * instance is reachable is lost (the bus does not say so; nothing waits for an answer).
 *
 * <p>Confined to the event loop of the dispatcher's context.
 */
public final class AttemptReporter implements AttemptLog {

  static final long FLUSH_MS = 250;
  static final int MAX_BATCH = 500;

  private final Vertx vertx;
  private List<WebhookAttempt> pending = new ArrayList<>();
  private long timer = -1;

  public AttemptReporter(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void attempted(WebhookAttempt attempt) {
    pending.add(attempt);
    if (pending.size() >= MAX_BATCH) {
      flush();
    } else if (timer < 0) {
      timer = vertx.setTimer(FLUSH_MS, id -> {
        timer = -1;
        flush();
      });
    }
  }

  /** Sends what is pending now (also when the dispatcher stops). */
  public void flush() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    while (!pending.isEmpty()) {
      List<WebhookAttempt> batch = pending.subList(0, Math.min(MAX_BATCH, pending.size()));
      Bus.send(vertx, Endpoints.WEBHOOK_ATTEMPTS_RECORD, new WebhookAttemptBatch(batch));
      batch.clear();
    }
  }
}
