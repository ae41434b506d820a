package io.ferry.admin.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.runtime.PrivateFiles;
import io.ferry.contracts.runtime.PrivateRocksFiles;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

// The RocksDB side of RocksAdminStore and its areas: one key per record (<kind>/<id>, JSON value), every write
// synced to the WAL before it returns. Used only from the store thread.
final class RocksRecords implements AutoCloseable {

  static final String ACCOUNT = "account/";
  static final String API_KEY = "apikey/";
  static final String QUEUE = "queue/";
  static final String CONSUMER = "consumer/";
  static final String LISTENER = "listener/";
  static final String SETTING = "setting/";
  static final String EVENT_SUBSCRIPTION = "eventsub/";

  private final Path dir;
  private final RocksDB db;
  private final WriteOptions syncWrites;
  private final PrivateRocksFiles privateFiles;

  private RocksRecords(Path dir, RocksDB db, WriteOptions syncWrites, PrivateRocksFiles privateFiles) {
    this.dir = dir;
    this.db = db;
    this.syncWrites = syncWrites;
    this.privateFiles = privateFiles;
  }

  static RocksRecords open(Path dir, AdminIndex index) throws Exception {
    RocksDB.loadLibrary();
    // The store holds the token secret and the listeners' signing secrets in clear: owner only.
    PrivateFiles.createDirectories(dir);
    PrivateFiles.restrictTree(dir);
    PrivateRocksFiles privateFiles = new PrivateRocksFiles(dir);
    RocksDB db;
    try (Options options = new Options().setCreateIfMissing(true).setListeners(List.of(privateFiles))) {
      db = RocksDB.open(options, dir.toString());
    }
    PrivateFiles.restrictTree(dir);
    RocksRecords records = new RocksRecords(dir, db, new WriteOptions().setSync(true), privateFiles);
    records.load(ACCOUNT, Account::fromJson, a -> index.accounts.put(a.id(), a));
    records.load(API_KEY, ApiKey::fromJson, k -> index.keysByHash.put(k.keyHash(), k));
    records.load(QUEUE, QueueInfo::fromJson, index::putQueue);
    records.load(CONSUMER, QueueConsumer::fromJson, c -> index.consumers.put(c.id(), c));
    records.load(LISTENER, Listener::fromJson, l -> index.listeners.put(l.id(), l));
    records.load(SETTING, json -> json, s -> index.settings.put(s.getString("name"), s.getString("value")));
    records.load(EVENT_SUBSCRIPTION, EventSubscription::fromJson, e -> index.eventSubscriptions.put(e.id(), e));
    return records;
  }

  void put(String kind, String id, JsonObject value) throws RocksDBException {
    db.put(syncWrites, key(kind, id), value.encode().getBytes(StandardCharsets.UTF_8));
  }

  void delete(String kind, String id) throws RocksDBException {
    db.delete(syncWrites, key(kind, id));
  }

  void deleteAll(List<KindIds> deletions) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      for (KindIds deletion : deletions) {
        for (String id : deletion.ids()) {
          batch.delete(key(deletion.kind(), id));
        }
      }
      write(batch);
    }
  }

  record KindIds(String kind, List<String> ids) {
  }

  // Records written together (an account and its first key).
  void putAll(List<KindRecord> puts) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      for (KindRecord put : puts) {
        batch.put(key(put.kind(), put.id()), put.value().encode().getBytes(StandardCharsets.UTF_8));
      }
      write(batch);
    }
  }

  record KindRecord(String kind, String id, JsonObject value) {
  }

  void write(WriteBatch batch) throws RocksDBException {
    db.write(syncWrites, batch);
  }

  // Raw access for EventLog.
  byte[] get(byte[] key) throws RocksDBException {
    return db.get(key);
  }

  RocksIterator iterator() {
    return db.newIterator();
  }

  @Override
  public void close() throws RocksDBException {
    db.syncWal();
    db.close();
    syncWrites.close();
    privateFiles.close();
    PrivateFiles.tryRestrictTree(dir);
  }

  private <T> void load(String kind, Function<JsonObject, T> decode, Consumer<T> into) {
    byte[] prefix = kind.getBytes(StandardCharsets.UTF_8);
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        into.accept(decode.apply(new JsonObject(new String(it.value(), StandardCharsets.UTF_8))));
      }
    }
  }

  private static byte[] key(String kind, String id) {
    return (kind + id).getBytes(StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
