package io.ferry.admin.store;

import io.ferry.admin.model.AuditPage;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

// The audit trail in RocksDB. Each account's events live under audit/<account>/<sequence> (16 hex digits, so
// keys sort in arrival order) and auditid/<event id> points at that key, for cursors. Events are read from
// disk, never held in memory: a trail may hold up to maxPerAccount events per account, and the oldest are
// dropped beyond that. Used only from the store thread.
final class EventLog {

  static final String EVENT = "audit/";
  static final String EVENT_ID = "auditid/";
  // Sorts after every hex digit: the upper bound of an account's keys.
  private static final String END = "g";

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
      it.seek(bytes(EVENT));
      while (it.isValid() && text(it.key()).startsWith(EVENT)) {
        String first = text(it.key());
        String prefix = first.substring(0, first.lastIndexOf('/') + 1);
        it.seekForPrev(bytes(prefix + END));
        long last = sequence(text(it.key()));
        log.ranges.put(prefix.substring(EVENT.length(), prefix.length() - 1), new long[] {sequence(first), last + 1});
        it.seek(bytes(prefix + END));
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
        String key = key(account, range[1]++);
        batch.put(bytes(key), bytes(event.toJson().encode()));
        batch.put(bytes(EVENT_ID + event.id()), bytes(key));
        addedIds.put(key, event.id());
        while (range[1] - range[0] > maxPerAccount) {
          String oldest = key(account, range[0]++);
          String oldestId = addedIds.containsKey(oldest) ? addedIds.get(oldest) : idAt(oldest);
          batch.delete(bytes(oldest));
          if (oldestId != null) {
            batch.delete(bytes(EVENT_ID + oldestId));
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
    String prefix = EVENT + accountId + "/";
    String upper = prefix + END;
    if (startAfterId != null) {
      byte[] at = records.get(bytes(EVENT_ID + startAfterId));
      if (at == null || !text(at).startsWith(prefix)) {
        return null;
      }
      upper = text(at);
    }
    List<FerryEvent> found = new ArrayList<>();
    String lastSeen = null;
    int scanned = 0;
    try (RocksIterator it = records.iterator()) {
      it.seekForPrev(bytes(upper));
      if (it.isValid() && text(it.key()).equals(upper)) {
        it.prev();
      }
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

  private static String key(String accountId, long sequence) {
    return EVENT + accountId + "/" + String.format("%016x", sequence);
  }

  private static long sequence(String key) {
    return Long.parseUnsignedLong(key.substring(key.lastIndexOf('/') + 1), 16);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
