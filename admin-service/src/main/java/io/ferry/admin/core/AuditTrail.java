package io.ferry.admin.core;

import io.ferry.admin.model.AuditPage;
import io.ferry.admin.store.AuditRecords;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Predicate;

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

  private final AuditRecords trails;
  private final BackgroundWriter<FerryEvent> writer;

  public AuditTrail(AuditRecords trails) {
    this.trails = trails;
    this.writer = new BackgroundWriter<>("audit trail", MAX_PENDING, trails::appendEvents);
  }

  /** Queues the event for the next write; events without an account or id are not kept. */
  public void record(FerryEvent event) {
    if (event.accountId() != null && event.id() != null) {
      writer.addAll(List.of(event));
    }
  }

  /** Completes once every event recorded so far has been written (or its write has failed). */
  public Future<Void> flush() {
    return writer.flush();
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
}
