package io.ferry.admin.store;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.model.EventSubscription;
import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.runtime.PrivateFiles;
import io.ferry.contracts.runtime.PrivateRocksFiles;
import io.ferry.contracts.runtime.RocksInsertHints;
import io.ferry.contracts.runtime.StoreFormat;
import io.ferry.contracts.runtime.backup.RocksCheckpoints;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
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
  // The on-disk format this build writes and the newest it reads (kept in StoreFormat, where `ferry restore`
  // checks backups against it); raise it there when the layout changes.
  static final int STORE_FORMAT = StoreFormat.ADMIN;

  // The logs (attempts, audit trail) append at the end of each owner's key range, <kind><id>/<sequence>, and
  // several owners append at once: four listeners' attempts interleave, and MemTable::Add was 4.9 % of Ferry's
  // CPU delivering to four listeners against 1.7 % to one. The memtable keeps an insert hint per prefix of this
  // length: "wattempt/" and a listener's 32-character id, the longest kind of log key and its owner (for other
  // keys it only groups them).
  static final int LOG_OWNER_PREFIX_BYTES = 9 + 32;

  private final Path dir;
  private final RocksDB db;
  private final WriteOptions syncWrites;
  private final PrivateRocksFiles privateFiles;
  private final SecretSeal seal;
  // Secrets found in clear although a key is set (stored before it was): sealed once loading is done.
  private final List<KindRecord> unsealed = new ArrayList<>();

  private RocksRecords(Path dir, RocksDB db, WriteOptions syncWrites, PrivateRocksFiles privateFiles,
      SecretSeal seal) {
    this.dir = dir;
    this.db = db;
    this.syncWrites = syncWrites;
    this.privateFiles = privateFiles;
    this.seal = seal;
  }

  static RocksRecords open(Path dir, AdminIndex index, SecretSeal seal) throws Exception {
    RocksDB.loadLibrary();
    // The store holds the token secret and the listeners' signing secrets (sealed only with a secrets key).
    PrivateFiles.createDirectories(dir);
    PrivateFiles.restrictTree(dir);
    StoreFormat.requireReadable(dir, STORE_FORMAT);
    PrivateRocksFiles privateFiles = new PrivateRocksFiles(dir);
    RocksDB db;
    try (DBOptions dbOptions = new DBOptions();
        ColumnFamilyOptions familyOptions = RocksInsertHints.perPrefix(LOG_OWNER_PREFIX_BYTES);
        Options options = new Options(dbOptions, familyOptions).setCreateIfMissing(true)
            .setListeners(List.of(privateFiles))) {
      db = RocksDB.open(options, dir.toString());
    }
    try {
      StoreFormat.checkAndStamp(db, dir, STORE_FORMAT);
    } catch (StoreFormat.TooNewException | RocksDBException refused) {
      db.close();
      throw refused;
    }
    PrivateFiles.restrictTree(dir);
    RocksRecords records = new RocksRecords(dir, db, new WriteOptions().setSync(true), privateFiles, seal);
    try {
      records.load(ACCOUNT, Account::fromJson, a -> index.accounts.put(a.id(), a));
      records.load(API_KEY, ApiKey::fromJson, k -> index.keysByHash.put(k.keyHash(), k));
      records.load(QUEUE, QueueInfo::fromJson, index::putQueue);
      records.load(CONSUMER, QueueConsumer::fromJson, c -> index.consumers.put(c.id(), c));
      records.load(LISTENER, Listener::fromJson, l -> index.listeners.put(l.id(), l));
      records.load(SETTING, json -> json, s -> index.settings.put(s.getString("name"), s.getString("value")));
      records.load(EVENT_SUBSCRIPTION, EventSubscription::fromJson, e -> index.eventSubscriptions.put(e.id(), e));
      records.sealWhatWasStoredInClear();
    } catch (RuntimeException | RocksDBException unreadable) {
      // A store that cannot be read (e.g. a wrong secrets key) must not stay locked by this process.
      records.close();
      throw unreadable;
    }
    return records;
  }

  StoreCheckpoint checkpoint(Path target) {
    return RocksCheckpoints.create("admin", db, target);
  }

  void put(String kind, String id, JsonObject value) throws RocksDBException {
    db.put(syncWrites, key(kind, id), encode(kind, id, value));
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
        batch.put(key(put.kind(), put.id()), encode(put.kind(), put.id(), put.value()));
      }
      write(batch);
    }
  }

  record KindRecord(String kind, String id, JsonObject value) {
  }

  void write(WriteBatch batch) throws RocksDBException {
    db.write(syncWrites, batch);
  }

  // Every key in [from, to), synced like any write.
  void deleteRange(byte[] from, byte[] to) throws RocksDBException {
    db.deleteRange(syncWrites, from, to);
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
    String field = sealedField(kind);
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        JsonObject value = new JsonObject(new String(it.value(), StandardCharsets.UTF_8));
        String stored = field == null ? null : value.getString(field);
        if (stored != null) {
          if (seal.enabled() && !SecretSeal.isSealed(stored)) {
            String id = new String(it.key(), StandardCharsets.UTF_8).substring(kind.length());
            unsealed.add(new KindRecord(kind, id, value));
          }
          value.put(field, seal.open(stored, it.key()));
        }
        into.accept(decode.apply(value));
      }
    }
  }

  // The field of a record that holds a secret: a listener's signing secret, a setting's value (the token
  // secret is one).
  private static String sealedField(String kind) {
    return kind.equals(LISTENER) ? "secret" : kind.equals(SETTING) ? "value" : null;
  }

  private byte[] encode(String kind, String id, JsonObject value) {
    String field = sealedField(kind);
    JsonObject stored = value;
    if (field != null && seal.enabled() && value.getString(field) != null) {
      stored = value.copy().put(field, seal.seal(value.getString(field), key(kind, id)));
    }
    return stored.encode().getBytes(StandardCharsets.UTF_8);
  }

  // Rewrites secrets stored before a key was set, then compacts and flushes so that the files holding them in
  // clear are replaced (RocksDB deletes obsolete tables and logs).
  private void sealWhatWasStoredInClear() throws RocksDBException {
    if (unsealed.isEmpty()) {
      return;
    }
    putAll(List.copyOf(unsealed));
    unsealed.clear();
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush);
    }
    db.compactRange();
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
