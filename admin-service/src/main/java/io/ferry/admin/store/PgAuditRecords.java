package io.ferry.admin.store;

import io.ferry.admin.model.AuditPage;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

// Audit trails in PostgreSQL. Each account's events are numbered without gaps from admin_audit_trails.next_seq,
// taken under that row's lock, so appends to one trail (from any instance) are ordered and the oldest beyond
// the bound are deleted in the same transaction by one range delete on the primary key.
final class PgAuditRecords implements AuditRecords {

  // How many events one audit-trail read looks at, at most, when the caller may see few of them (as on RocksDB).
  private static final int SCAN_LIMIT = 10_000;
  // Rows fetched per round trip while paging.
  private static final int CHUNK_MIN = 100;
  private static final int CHUNK_MAX = 1_000;

  private final PgAccess db;
  private final int maxPerAccount;

  PgAuditRecords(PgAccess db, int maxPerAccount) {
    this.db = db;
    this.maxPerAccount = maxPerAccount;
  }

  @Override
  public Future<Void> appendEvents(List<FerryEvent> events) {
    // Accounts in one order on every instance, so that two appends cannot wait on each other's trail locks.
    Map<String, List<FerryEvent>> byAccount = new TreeMap<>();
    events.forEach(e -> byAccount.computeIfAbsent(e.accountId(), a -> new ArrayList<>()).add(e));
    return db.inTransaction("appending to the audit trail", tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (Map.Entry<String, List<FerryEvent>> trail : byAccount.entrySet()) {
        chain = chain.compose(v -> append(tx, trail.getKey(), trail.getValue()));
      }
      return chain;
    });
  }

  private Future<Void> append(SqlConnection tx, String accountId, List<FerryEvent> events) {
    return tx.preparedQuery("INSERT INTO admin_audit_trails (account_id, next_seq) VALUES ($1, $2) "
            + "ON CONFLICT (account_id) DO UPDATE SET next_seq = admin_audit_trails.next_seq + EXCLUDED.next_seq "
            + "RETURNING next_seq")
        .execute(Tuple.of(accountId, (long) events.size()))
        .compose(taken -> {
          long next = taken.iterator().next().getLong(0);
          long first = next - events.size();
          List<Tuple> rows = new ArrayList<>(events.size());
          for (int i = 0; i < events.size(); i++) {
            FerryEvent event = events.get(i);
            rows.add(Tuple.of(accountId, first + i, event.id(), event.toJson().encode()));
          }
          return tx.preparedQuery("INSERT INTO admin_audit_events (account_id, seq, id, doc) VALUES ($1, $2, $3, $4)")
              .executeBatch(rows)
              .compose(inserted -> tx.preparedQuery("DELETE FROM admin_audit_events WHERE account_id = $1 AND seq < $2")
                  .execute(Tuple.of(accountId, next - maxPerAccount)));
        })
        .mapEmpty();
  }

  @Override
  public Future<AuditPage> events(String accountId, String startAfterId, int limit,
      Predicate<FerryEvent> visible) {
    Future<Long> upper = startAfterId == null ? Future.succeededFuture(Long.MAX_VALUE)
        : db.execute("reading the audit trail",
            "SELECT seq FROM admin_audit_events WHERE id = $1 AND account_id = $2", Tuple.of(startAfterId, accountId))
            .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
    return upper.compose(seq -> seq == null ? Future.succeededFuture()
        : new Page(accountId, limit, visible).readOlderThan(seq));
  }

  // One page being read: newest first, looking at no more than SCAN_LIMIT events (as EventLog.page does).
  private final class Page {
    private final String accountId;
    private final int limit;
    private final Predicate<FerryEvent> visible;
    private final int chunk;
    private final List<FerryEvent> found = new ArrayList<>();
    private String lastSeen;
    private int scanned;

    Page(String accountId, int limit, Predicate<FerryEvent> visible) {
      this.accountId = accountId;
      this.limit = limit;
      this.visible = visible;
      this.chunk = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, limit + 1));
    }

    Future<AuditPage> readOlderThan(long seq) {
      return db.execute("reading the audit trail", "SELECT seq, doc FROM admin_audit_events "
              + "WHERE account_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3", Tuple.of(accountId, seq, chunk))
          .compose(rows -> {
            long oldest = seq;
            for (Row row : rows) {
              if (found.size() == limit) {
                return Future.succeededFuture(new AuditPage(found, found.get(found.size() - 1).id()));
              }
              if (scanned == SCAN_LIMIT) {
                return Future.succeededFuture(new AuditPage(found, lastSeen));
              }
              FerryEvent event = FerryEvent.fromJson(new JsonObject(row.getString("doc")));
              scanned++;
              lastSeen = event.id();
              oldest = row.getLong("seq");
              if (visible.test(event)) {
                found.add(event);
              }
            }
            return rows.size() < chunk ? Future.succeededFuture(new AuditPage(found, null)) : readOlderThan(oldest);
          });
    }
  }
}
