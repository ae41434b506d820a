package io.ferry.admin.store;

import static io.ferry.admin.store.LogKeys.bytes;
import static io.ferry.admin.store.LogKeys.seekBelow;
import static io.ferry.admin.store.LogKeys.sequence;
import static io.ferry.admin.store.LogKeys.text;
import static io.ferry.admin.store.LogKeys.upperBound;

import io.ferry.admin.model.AttemptPage;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

// Attempt logs in RocksDB, read from disk on the store thread like the audit trail. A listener's attempts live
// under wattempt/<listener>/<sequence> (16 hex digits, arrival order); wattemptid/<id> points at that key for
// cursors, and wattemptmsg/<queue>/<message>/<sequence>/<listener> at it for a message's attempts. The
// sequence range of each listener is found on first use and kept, so a log is trimmed without scanning it.
final class RocksAttemptRecords implements AttemptRecords {

  private static final LogKeys KEYS = new LogKeys("wattempt/", "wattemptid/");
  private static final String BY_MESSAGE = "wattemptmsg/";

  private final StoreAccess store;
  // Per listener: {first retained sequence, next sequence}. Used only on the store thread.
  private final Map<String, long[]> ranges = new HashMap<>();

  RocksAttemptRecords(StoreAccess store) {
    this.store = store;
  }

  @Override
  public Future<Void> appendAttempts(List<WebhookAttempt> attempts, int keepPerListener) {
    return store.write(records -> {
      Map<String, long[]> changed = new HashMap<>();
      Map<String, Indexed> added = new HashMap<>();
      try (WriteBatch batch = new WriteBatch()) {
        for (WebhookAttempt attempt : attempts) {
          String listener = attempt.listenerId();
          long[] range = changed.computeIfAbsent(listener, l -> range(records, l).clone());
          String key = KEYS.key(listener, range[1]++);
          Indexed indexed = Indexed.of(attempt);
          batch.put(bytes(key), AttemptJson.encode(attempt));
          batch.put(KEYS.idKey(attempt.id()), bytes(key));
          batch.put(bytes(indexed.messageKey(key)), bytes(key));
          added.put(key, indexed);
          while (range[1] - range[0] > keepPerListener) {
            String oldest = KEYS.key(listener, range[0]++);
            Indexed dropped = added.containsKey(oldest) ? added.get(oldest) : Indexed.read(records, oldest);
            batch.delete(bytes(oldest));
            if (dropped != null) {
              batch.delete(KEYS.idKey(dropped.id()));
              batch.delete(bytes(dropped.messageKey(oldest)));
            }
          }
        }
        records.write(batch);
      }
      ranges.putAll(changed);
    });
  }

  @Override
  public Future<AttemptPage> listenerAttempts(String listenerId, String startAfterId, int limit) {
    return store.submit(records -> {
      String start = KEYS.pageStart(records, listenerId, startAfterId);
      if (start == null) {
        return null;
      }
      String prefix = KEYS.ownerPrefix(listenerId);
      List<WebhookAttempt> found = new ArrayList<>();
      try (RocksIterator it = records.iterator()) {
        seekBelow(it, start);
        for (; it.isValid() && text(it.key()).startsWith(prefix); it.prev()) {
          if (found.size() == limit) {
            return new AttemptPage(found, found.get(found.size() - 1).id());
          }
          found.add(WebhookAttempt.fromJson(new JsonObject(text(it.value()))));
        }
      }
      return new AttemptPage(found, null);
    });
  }

  @Override
  public Future<List<WebhookAttempt>> messageAttempts(String queueId, String messageId, int limit) {
    return store.submit(records -> {
      String prefix = BY_MESSAGE + queueId + "/" + messageId + "/";
      List<WebhookAttempt> found = new ArrayList<>();
      try (RocksIterator it = records.iterator()) {
        for (it.seek(bytes(prefix)); it.isValid() && text(it.key()).startsWith(prefix); it.next()) {
          WebhookAttempt attempt = read(records, text(it.value()));
          if (attempt != null) {
            found.add(attempt);
          }
        }
      }
      // Newest first across listeners: by when each attempt was made.
      found.sort((a, b) -> Long.compare(b.timestampMs(), a.timestampMs()));
      return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
    });
  }

  @Override
  public Future<Void> deleteListenerAttempts(String listenerId) {
    return store.write(records -> {
      String prefix = KEYS.ownerPrefix(listenerId);
      try (WriteBatch batch = new WriteBatch(); RocksIterator it = records.iterator()) {
        for (it.seek(bytes(prefix)); it.isValid() && text(it.key()).startsWith(prefix); it.next()) {
          Indexed attempt = Indexed.of(WebhookAttempt.fromJson(new JsonObject(text(it.value()))));
          String key = text(it.key());
          batch.delete(it.key());
          batch.delete(KEYS.idKey(attempt.id()));
          batch.delete(bytes(attempt.messageKey(key)));
        }
        records.write(batch);
      }
      ranges.remove(listenerId);
    });
  }

  private long[] range(RocksRecords records, String listenerId) {
    return ranges.computeIfAbsent(listenerId, id -> {
      String prefix = KEYS.ownerPrefix(id);
      try (RocksIterator it = records.iterator()) {
        it.seek(bytes(prefix));
        if (!it.isValid() || !text(it.key()).startsWith(prefix)) {
          return new long[2];
        }
        long first = sequence(text(it.key()));
        it.seekForPrev(bytes(upperBound(prefix)));
        return new long[] {first, sequence(text(it.key())) + 1};
      }
    });
  }

  private static WebhookAttempt read(RocksRecords records, String key) throws RocksDBException {
    byte[] value = records.get(bytes(key));
    return value == null ? null : WebhookAttempt.fromJson(new JsonObject(text(value)));
  }

  /** What an attempt is indexed by: its id, and its message for the by-message index. */
  private record Indexed(String id, String queueId, String messageId, String listenerId) {

    static Indexed of(WebhookAttempt attempt) {
      return new Indexed(attempt.id(), attempt.queueId(), attempt.messageId(), attempt.listenerId());
    }

    /** The stored attempt's index fields, or null when there is none under the key. */
    static Indexed read(RocksRecords records, String key) throws RocksDBException {
      byte[] value = records.get(bytes(key));
      return value == null ? null : AttemptJson.indexed(value, (id, queueId, messageId, listenerId) ->
          new Indexed(id, queueId, messageId, listenerId));
    }

    String messageKey(String key) {
      return BY_MESSAGE + queueId + "/" + messageId + "/" + key.substring(key.lastIndexOf('/') + 1) + "/"
          + listenerId;
    }
  }
}
