package io.ferry.admin.store;

import static io.ferry.admin.store.LogKeys.bytes;
import static io.ferry.admin.store.LogKeys.sequence;
import static io.ferry.admin.store.LogKeys.text;
import static io.ferry.admin.store.LogKeys.upperBound;

import io.ferry.admin.model.AttemptPage;
import io.ferry.admin.model.Listener;
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

// Attempt logs in RocksDB: a listener's attempts live under wattempt/<listener>/<sequence> (16 hex digits,
// arrival order), and nothing else is written per attempt. A log holds at most keepPerListener entries (100 by
// default), so the reads that need more than a key range (a cursor's position, a message's attempts over the
// queue's listeners) scan those entries rather than keep indexes: an attempt is written per webhook delivery,
// and with an id index and a by-message index each one cost three puts, three deletes and a read-back of the
// trimmed entry, whose memtable inserts were a fifth of Ferry's CPU per delivery. Stores written before keep
// those indexes under wattemptid/ and wattemptmsg/; they are dropped at open (dropLegacyIndexes). The sequence
// range of each listener is found on first use and kept, so a log is trimmed without scanning it.
final class RocksAttemptRecords implements AttemptRecords {

  private static final LogKeys KEYS = new LogKeys("wattempt/", "wattemptid/");
  private static final List<String> LEGACY_INDEXES = List.of("wattemptid/", "wattemptmsg/");

  private final StoreAccess store;
  // Per listener: {first retained sequence, next sequence}. Used only on the store thread.
  private final Map<String, long[]> ranges = new HashMap<>();

  RocksAttemptRecords(StoreAccess store) {
    this.store = store;
  }

  /** Deletes the indexes stores written before this layout kept beside the logs (at open, on the store thread). */
  static void dropLegacyIndexes(RocksRecords records) throws RocksDBException {
    for (String prefix : LEGACY_INDEXES) {
      boolean any;
      try (RocksIterator it = records.iterator()) {
        it.seek(bytes(prefix));
        any = it.isValid() && text(it.key()).startsWith(prefix);
      }
      if (any) {
        // The prefix's successor bounds every key under it, whatever follows the prefix.
        String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        records.deleteRange(bytes(prefix), bytes(end));
      }
    }
  }

  @Override
  public Future<Void> appendAttempts(List<WebhookAttempt> attempts, int keepPerListener) {
    return store.write(records -> {
      Map<String, long[]> changed = new HashMap<>();
      try (WriteBatch batch = new WriteBatch()) {
        for (WebhookAttempt attempt : attempts) {
          String listener = attempt.listenerId();
          long[] range = changed.computeIfAbsent(listener, l -> range(records, l).clone());
          batch.put(bytes(KEYS.key(listener, range[1]++)), AttemptJson.encode(attempt));
          while (range[1] - range[0] > keepPerListener) {
            batch.delete(bytes(KEYS.key(listener, range[0]++)));
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
      String prefix = KEYS.ownerPrefix(listenerId);
      List<WebhookAttempt> found = new ArrayList<>();
      boolean started = startAfterId == null;
      try (RocksIterator it = records.iterator()) {
        for (it.seekForPrev(bytes(upperBound(prefix))); it.isValid() && text(it.key()).startsWith(prefix);
            it.prev()) {
          if (!started) {
            started = startAfterId.equals(AttemptJson.indexed(it.value(), (id, queue, message, listener) -> id));
            continue;
          }
          if (found.size() == limit) {
            return new AttemptPage(found, found.get(found.size() - 1).id());
          }
          found.add(decode(it.value()));
        }
      }
      return started ? new AttemptPage(found, null) : null;
    });
  }

  @Override
  public Future<List<WebhookAttempt>> messageAttempts(String queueId, String messageId, int limit) {
    return store.submit(records -> {
      List<WebhookAttempt> found = new ArrayList<>();
      // A deleted listener's log is deleted with it: the queue's listeners are every log it can have.
      for (Listener listener : store.index.listenersOf(queueId)) {
        String prefix = KEYS.ownerPrefix(listener.id());
        try (RocksIterator it = records.iterator()) {
          for (it.seek(bytes(prefix)); it.isValid() && text(it.key()).startsWith(prefix); it.next()) {
            boolean ofMessage = AttemptJson.indexed(it.value(), (id, queue, message, owner) ->
                queueId.equals(queue) && messageId.equals(message));
            if (ofMessage) {
              found.add(decode(it.value()));
            }
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
      records.deleteRange(bytes(prefix), bytes(upperBound(prefix)));
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

  private static WebhookAttempt decode(byte[] value) {
    return WebhookAttempt.fromJson(new JsonObject(text(value)));
  }
}
