package io.ferry.messaging.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.contracts.runtime.StoreFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class StoreFormatTest {

  @TempDir
  Path dir;

  @Test
  void aNewStoreRecordsTheCurrentFormat() throws Exception {
    RocksMessageStore.open(dir).close().await(10, TimeUnit.SECONDS);

    assertEquals(Integer.toString(RocksMessageStore.STORE_FORMAT), rawGet(dir));
  }

  @Test
  void aStoreWrittenBeforeVersionsOpensAndIsStamped() throws Exception {
    RocksMessageStore.open(dir).close().await(10, TimeUnit.SECONDS);
    rawPut(dir, null);
    assertNull(rawGet(dir));

    RocksMessageStore.open(dir).close().await(10, TimeUnit.SECONDS);

    assertEquals("1", rawGet(dir));
  }

  @Test
  void aNewerFormatIsRefusedAndLeftUntouched() throws Exception {
    RocksMessageStore.open(dir).close().await(10, TimeUnit.SECONDS);
    rawPut(dir, "2");
    Map<String, String> before = files(dir);

    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RocksMessageStore.open(dir));

    assertEquals("data directory " + dir + " was written by a newer Ferry (store format 2, this build reads up to "
        + RocksMessageStore.STORE_FORMAT + "); upgrade Ferry or restore a backup", refused.getMessage());
    assertEquals(before, files(dir));
    assertEquals("2", rawGet(dir));
  }

  // The read-only check gives way when RocksDB cannot open the store read-only (logs it must replay first):
  // the same refusal then comes from the open store, before the version is stamped over.
  @Test
  void aNewerFormatIsAlsoRefusedOnceOpen() throws Exception {
    RocksMessageStore.open(dir).close().await(10, TimeUnit.SECONDS);
    rawPut(dir, "2");

    withRaw(dir, db -> {
      StoreFormat.TooNewException refused = assertThrows(StoreFormat.TooNewException.class,
          () -> StoreFormat.checkAndStamp(db, dir, RocksMessageStore.STORE_FORMAT));
      assertEquals("data directory " + dir + " was written by a newer Ferry (store format 2, this build reads "
          + "up to 1); upgrade Ferry or restore a backup", refused.getMessage());
    });
    assertEquals("2", rawGet(dir));
  }

  // Every file of the store with its size and content hash (RocksDB's own info logs aside).
  static Map<String, String> files(Path dir) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.list(dir)) {
      for (Path file : all.toList()) {
        String name = file.getFileName().toString();
        if (!name.startsWith("LOG")) {
          files.put(name, Files.size(file) + ":" + java.util.Arrays.hashCode(Files.readAllBytes(file)));
        }
      }
    }
    return files;
  }

  static String rawGet(Path dir) throws Exception {
    String[] value = new String[1];
    withRaw(dir, db -> {
      byte[] bytes = db.get(StoreFormat.KEY);
      value[0] = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    });
    return value[0];
  }

  // Writes the version key as a different build would (null: as before versions were recorded).
  static void rawPut(Path dir, String version) throws Exception {
    withRaw(dir, db -> {
      if (version == null) {
        db.delete(StoreFormat.KEY);
      } else {
        db.put(StoreFormat.KEY, version.getBytes(StandardCharsets.UTF_8));
      }
      db.syncWal();
    });
  }

  interface RawWork {
    void run(RocksDB db) throws Exception;
  }

  private static void withRaw(Path dir, RawWork work) throws Exception {
    List<byte[]> families;
    try (Options listing = new Options()) {
      families = RocksDB.listColumnFamilies(listing, dir.toString());
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    families.forEach(family -> descriptors.add(new ColumnFamilyDescriptor(family)));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
      try {
        work.run(db);
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }
}
