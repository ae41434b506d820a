package io.ferry.admin.store;

import static io.ferry.admin.store.LogKeys.bytes;
import static io.ferry.admin.store.LogKeys.seekBelow;
import static io.ferry.admin.store.LogKeys.sequence;
import static io.ferry.admin.store.LogKeys.text;
import static io.ferry.admin.store.LogKeys.upperBound;

import io.ferry.admin.model.AuditPage;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

// The audit trail in RocksDB. Each account's events live under audit/<account>/<sequence> and auditid/<event
// id> points at that key, for cursors (LogKeys). Events are read from
// disk, never held in memory: a trail may hold up to maxPerAccount events per account, and the oldest are
// dropped beyond that. Used only from the store thread.
final class EventLog {

  private static final LogKeys KEYS = new LogKeys("audit/", "auditid/");

  private final RocksRecords records;
  private final int maxPerAccount;
  // Per account: {first retained sequence, next sequence}.
  private final Map<String, long[]> ranges = new HashMap<>();

  private EventLog(RocksRecords records, int maxPerAccount) {
    this.records = records;
    this.maxPerAccount = maxPerAccount;
  }

  static EventLog open(RocksRecords records, int maxPerAccount) {
    EventLog log = new EventLog(records, maxPerAccount);
    // One seek pair per account rather than a walk over every stored event.
    try (RocksIterator it = records.iterator()) {
      it.seek(bytes(KEYS.kind()));
      while (it.isValid() && text(it.key()).startsWith(KEYS.kind())) {
        String first = text(it.key());
        String prefix = first.substring(0, first.lastIndexOf('/') + 1);
        it.seekForPrev(bytes(upperBound(prefix)));
        long last = sequence(text(it.key()));
        log.ranges.put(prefix.substring(KEYS.kind().length(), prefix.length() - 1),
            new long[] {sequence(first), last + 1});
        it.seek(bytes(upperBound(prefix)));
      }
    }
    return log;
  }

  void append(List<FerryEvent> events) throws RocksDBException {
    Map<String, long[]> changed = new HashMap<>();
    Map<String, String> addedIds = new HashMap<>();
    try (WriteBatch batch = new WriteBatch()) {
      for (FerryEvent event : events) {
        String account = event.accountId();
        long[] range = changed.computeIfAbsent(account, a -> ranges.getOrDefault(a, new long[2]).clone());
        String key = KEYS.key(account, range[1]++);
        batch.put(bytes(key), bytes(event.toJson().encode()));
        batch.put(KEYS.idKey(event.id()), bytes(key));
        addedIds.put(key, event.id());
        while (range[1] - range[0] > maxPerAccount) {
          String oldest = KEYS.key(account, range[0]++);
          String oldestId = addedIds.containsKey(oldest) ? addedIds.get(oldest) : idAt(oldest);
          batch.delete(bytes(oldest));
          if (oldestId != null) {
            batch.delete(KEYS.idKey(oldestId));
          }
        }
      }
      records.write(batch);
    }
    ranges.putAll(changed);
  }

  // Newest first, strictly older than startAfterId; null when that id is not an event of this account. Looks
  // at no more than maxScan events, so a caller who may see few of them still gets an answer quickly.
  AuditPage page(String accountId, String startAfterId, int limit, int maxScan, Predicate<FerryEvent> visible)
      throws RocksDBException {
    String start = KEYS.pageStart(records, accountId, startAfterId);
    if (start == null) {
      return null;
    }
    String prefix = KEYS.ownerPrefix(accountId);
    List<FerryEvent> found = new ArrayList<>();
    String lastSeen = null;
    int scanned = 0;
    try (RocksIterator it = records.iterator()) {
      seekBelow(it, start);
      for (; it.isValid() && text(it.key()).startsWith(prefix); it.prev()) {
        if (found.size() == limit) {
          return new AuditPage(found, found.get(found.size() - 1).id());
        }
        if (scanned == maxScan) {
          return new AuditPage(found, lastSeen);
        }
        FerryEvent event = FerryEvent.fromJson(new JsonObject(text(it.value())));
        scanned++;
        lastSeen = event.id();
        if (visible.test(event)) {
          found.add(event);
        }
      }
    }
    return new AuditPage(found, null);
  }

  private String idAt(String key) throws RocksDBException {
    byte[] value = records.get(bytes(key));
    return value == null ? null : new JsonObject(text(value)).getString("id");
  }
}
