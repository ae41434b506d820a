package io.ferry.admin.core;

import io.ferry.admin.store.AttemptRecords;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.Future;
import java.util.List;

/**
 * Keeps the webhook attempts dispatchers report in the listeners' attempt logs, the newest
 * {@code keepPerListener} each. Recording never waits: attempts that arrive while a write is under way are written
 * together by the next one.
 */
public final class AttemptHistory {

  // Beyond this many unwritten attempts (the store is stuck) the oldest are dropped rather than memory grown.
  static final int MAX_PENDING = 20_000;

  private final BackgroundWriter<WebhookAttempt> writer;

  public AttemptHistory(AttemptRecords records, int keepPerListener) {
    this.writer = new BackgroundWriter<>("attempt log", MAX_PENDING,
        batch -> records.appendAttempts(batch, keepPerListener));
  }

  /** Queues the attempts for the next write; attempts without an id or listener are not kept. */
  public void record(List<WebhookAttempt> attempts) {
    writer.addAll(attempts.stream().filter(attempt -> attempt.id() != null && attempt.listenerId() != null)
        .toList());
  }

  /** Completes once every attempt recorded so far has been written (or its write has failed). */
  public Future<Void> flush() {
    return writer.flush();
  }
}
