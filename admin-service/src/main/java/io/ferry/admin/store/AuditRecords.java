package io.ferry.admin.store;

import io.ferry.admin.model.AuditPage;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Predicate;

/** The accounts' audit trails: one area of an {@link AdminStore}, under its general contract. */
public interface AuditRecords {

  int MAX_EVENTS_PER_ACCOUNT = 100_000;

  /**
   * Appends events to their accounts' audit trails in one durable write; each trail keeps its newest
   * {@link #MAX_EVENTS_PER_ACCOUNT} events.
   */
  Future<Void> appendEvents(List<FerryEvent> events);

  /**
   * Up to {@code limit} of the account's events that {@code visible} accepts, newest first, strictly older
   * than the event {@code startAfterId} ({@code null}: from the newest); {@code null} when that id is not
   * one of the account's retained events.
   */
  Future<AuditPage> events(String accountId, String startAfterId, int limit, Predicate<FerryEvent> visible);
}
