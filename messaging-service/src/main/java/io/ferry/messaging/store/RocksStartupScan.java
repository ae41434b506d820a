package io.ferry.messaging.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The start-up read of everything but message bodies, in {@link StoredStateVisitor}'s order. Messages and
 * pending entries number in the millions, so their keys and values are copied into reused buffers (only
 * as much of a value as is needed) and an id becomes a String once per run of entries that share it.
 */
final class RocksStartupScan {

  private static final long READAHEAD_BYTES = 2L * 1024 * 1024;

  private interface EntryVisitor {
    void visit(byte[] key, byte[] value);
  }

  private interface SequencedVisitor {
    void visit(String id, long sequence, byte[] value, int valueLength);
  }

  private final RocksDB db;
  private final ColumnFamilyHandle queues;
  private final ColumnFamilyHandle sequences;
  private final ColumnFamilyHandle subscriptions;
  private final ColumnFamilyHandle purges;
  private final ColumnFamilyHandle messages;
  private final ColumnFamilyHandle pending;
  private final ColumnFamilyHandle counters;

  RocksStartupScan(RocksDB db, ColumnFamilyHandle queues, ColumnFamilyHandle sequences,
      ColumnFamilyHandle subscriptions, ColumnFamilyHandle purges, ColumnFamilyHandle messages,
      ColumnFamilyHandle pending, ColumnFamilyHandle counters) {
    this.db = db;
    this.queues = queues;
    this.sequences = sequences;
    this.subscriptions = subscriptions;
    this.purges = purges;
    this.messages = messages;
    this.pending = pending;
    this.counters = counters;
  }

  void visit(StoredStateVisitor visitor) throws RocksDBException {
    forEach(queues, (key, value) -> visitor.queue(QueueInfo.fromJson(json(value))));
    forEach(sequences, (key, value) -> visitor.sequenceHead(RocksCodec.idOf(key), RocksCodec.readLong(value)));
    forEach(subscriptions, (key, value) -> visitor.subscription(SubscriptionSpec.fromJson(json(value))));
    forEach(counters, (key, value) -> visitor.acknowledged(RocksCodec.idOf(key), RocksCodec.counter(value)));
    forEach(purges, (key, value) -> visitor.purge(RocksCodec.purge(key, value)));
    forEachSequenced(messages, RocksCodec.META_PREFIX_BYTES,
        (id, sequence, value, length) -> visitor.message(RocksCodec.meta(id, sequence, value, length)));
    forEachSequenced(pending, RocksCodec.PENDING_MISSED_BYTES,
        (id, sequence, value, length) -> visitor.pending(RocksCodec.pending(id, sequence, value, length)));
  }

  private void forEachSequenced(ColumnFamilyHandle family, int valueBytes, SequencedVisitor visitor)
      throws RocksDBException {
    byte[] key = new byte[1 + 255 + Long.BYTES];
    byte[] value = new byte[valueBytes];
    byte[] idBytes = new byte[0];
    String id = null;
    try (ReadOptions options = new ReadOptions().setReadaheadSize(READAHEAD_BYTES).setFillCache(false);
        RocksIterator it = db.newIterator(family, options)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        int keyLength = it.key(key);
        int valueLength = it.value(value);
        int idLength = key[0] & 0xFF;
        if (id == null || !Arrays.equals(key, 1, 1 + idLength, idBytes, 0, idBytes.length)) {
          idBytes = Arrays.copyOfRange(key, 1, 1 + idLength);
          id = new String(idBytes, StandardCharsets.UTF_8);
        }
        visitor.visit(id, RocksCodec.longAt(key, keyLength - Long.BYTES), value, valueLength);
      }
      it.status();
    }
  }

  private void forEach(ColumnFamilyHandle family, EntryVisitor visitor) throws RocksDBException {
    try (RocksIterator it = db.newIterator(family)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        visitor.visit(it.key(), it.value());
      }
      it.status();
    }
  }

  private static JsonObject json(byte[] value) {
    return new JsonObject(new String(value, StandardCharsets.UTF_8));
  }
}
