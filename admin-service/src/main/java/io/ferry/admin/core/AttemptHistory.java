package io.ferry.admin.core;

import io.ferry.admin.store.AttemptRecords;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook attempts dispatchers report in the listeners' attempt logs, the newest
 * {@code keepPerListener} each. Recording never waits: attempts that arrive while a write is under way are written
 * together by the next one.
 */
public final class AttemptHistory {

  // Beyond this many unwritten attempts (the store is stuck) the oldest are dropped rather than memory grown.
  static final int MAX_PENDING = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(AttemptHistory.class);

  private final AttemptRecords records;
  private final int keepPerListener;
  private final Deque<WebhookAttempt> pending = new ArrayDeque<>();
  private final List<Promise<Void>> flushes = new ArrayList<>();
  private boolean writing;
  private long dropped;

  public AttemptHistory(AttemptRecords records, int keepPerListener) {
    this.records = records;
    this.keepPerListener = keepPerListener;
  }

  public synchronized void record(List<WebhookAttempt> attempts) {
    for (WebhookAttempt attempt : attempts) {
      if (attempt.id() == null || attempt.listenerId() == null) {
        continue;
      }
      if (pending.size() >= MAX_PENDING) {
        pending.removeFirst();
        if (dropped++ % 1_000 == 0) {
          LOG.warn("attempt log: the store is not keeping up; {} attempts dropped so far", dropped);
        }
      }
      pending.add(attempt);
    }
    if (!writing && !pending.isEmpty()) {
      writeNext();
    }
  }

  /** Completes once every attempt recorded so far has been written (or its write has failed). */
  public synchronized Future<Void> flush() {
    if (!writing && pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> flushed = Promise.promise();
    flushes.add(flushed);
    return flushed.future();
  }

  private void writeNext() {
    List<WebhookAttempt> batch = new ArrayList<>(pending);
    pending.clear();
    writing = true;
    records.appendAttempts(batch, keepPerListener).onComplete(written -> {
      if (written.failed()) {
        LOG.warn("attempt log: {} attempts could not be stored: {}", batch.size(), written.cause().getMessage());
      }
      List<Promise<Void>> done = List.of();
      synchronized (this) {
        writing = false;
        if (!pending.isEmpty()) {
          writeNext();
        } else {
          done = new ArrayList<>(flushes);
          flushes.clear();
        }
      }
      done.forEach(Promise::tryComplete);
    });
  }
}
