package io.ferry.admin.store;

import io.ferry.admin.model.AuditPage;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Predicate;

// Audit trails in RocksDB, through the EventLog; unlike other records they are read from disk, on the store
// thread, never held in the index.
final class RocksAuditRecords implements AuditRecords {

  // How many events one audit-trail read looks at, at most, when the caller may see few of them.
  private static final int AUDIT_SCAN_LIMIT = 10_000;

  private final StoreAccess store;
  private final EventLog log;

  RocksAuditRecords(StoreAccess store, EventLog log) {
    this.store = store;
    this.log = log;
  }

  @Override
  public Future<Void> appendEvents(List<FerryEvent> events) {
    return store.write(records -> log.append(events));
  }

  @Override
  public Future<AuditPage> events(String accountId, String startAfterId, int limit,
      Predicate<FerryEvent> visible) {
    return store.submit(records -> log.page(accountId, startAfterId, limit, AUDIT_SCAN_LIMIT, visible));
  }
}
