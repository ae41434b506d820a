package io.ferry.admin.core;

import io.ferry.admin.model.AuditPage;
import io.ferry.admin.store.AuditRecords;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every event of an account, kept durably (the newest {@link AuditRecords#MAX_EVENTS_PER_ACCOUNT}) for
 * {@code GET /v1/events}. Recording never waits: events that arrive while a write is under way are written
 * together by the next one, so a burst of events costs a few synced writes, not one each.
 */
public final class AuditTrail {

  public static final int DEFAULT_LIMIT = 25;
  public static final int MAX_LIMIT = 100;
  // Beyond this many unwritten events (the store is stuck) the oldest are dropped rather than memory grown.
  static final int MAX_PENDING = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private final AuditRecords trails;
  private final Deque<FerryEvent> pending = new ArrayDeque<>();
  private final List<Promise<Void>> flushes = new ArrayList<>();
  private boolean writing;
  private long dropped;

  public AuditTrail(AuditRecords trails) {
    this.trails = trails;
  }

  /** Queues the event for the next write; events without an account or id are not kept. */
  public synchronized void record(FerryEvent event) {
    if (event.accountId() == null || event.id() == null) {
      return;
    }
    if (pending.size() >= MAX_PENDING) {
      pending.removeFirst();
      if (dropped++ % 1_000 == 0) {
        LOG.warn("audit trail: the store is not keeping up; {} events dropped so far", dropped);
      }
    }
    pending.addLast(event);
    if (!writing) {
      writeNext();
    }
  }

  /** Completes once every event recorded so far has been written (or its write has failed). */
  public synchronized Future<Void> flush() {
    if (!writing && pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> flushed = Promise.promise();
    flushes.add(flushed);
    return flushed.future();
  }

  /**
   * Up to {@code limit} of the account's events that {@code visible} accepts, newest first, after the event
   * {@code startAfterId} ({@code null}: from the newest). Fails INVALID_FIELD (field {@code startAfterId})
   * when that is not one of the account's retained events.
   */
  public Future<AuditPage> page(String accountId, String startAfterId, int limit, Predicate<FerryEvent> visible) {
    return trails.events(accountId, startAfterId, limit, visible).compose(page -> page != null
        ? Future.succeededFuture(page)
        : Future.failedFuture(FerryException.invalidField("startAfterId",
            "is not the id of an event in this account's audit trail")));
  }

  private void writeNext() {
    List<FerryEvent> batch = new ArrayList<>(pending);
    pending.clear();
    writing = true;
    trails.appendEvents(batch).onComplete(written -> {
      if (written.failed()) {
        LOG.warn("audit trail: {} events could not be stored: {}", batch.size(), written.cause().getMessage());
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
