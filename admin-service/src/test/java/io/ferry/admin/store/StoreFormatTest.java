package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.admin.model.Account;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.runtime.StoreFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class StoreFormatTest {

  @TempDir
  Path dir;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  @Test
  void aNewStoreRecordsTheCurrentFormat() throws Exception {
    await(await(RocksAdminStore.open(vertx, dir)).close());

    assertEquals(Integer.toString(RocksRecords.STORE_FORMAT), rawGet());
  }

  @Test
  void aStoreWrittenBeforeVersionsOpensWithItsRecordsAndIsStamped() throws Exception {
    Account account = new Account(Ids.newId(), "default", 1L);
    AdminStore store = await(RocksAdminStore.open(vertx, dir));
    await(store.accounts().insertAccount(account));
    await(store.close());
    rawPut(null);
    assertNull(rawGet());

    store = await(RocksAdminStore.open(vertx, dir));
    assertEquals(account, await(store.accounts().account(account.id())));
    await(store.close());

    assertEquals("1", rawGet());
  }

  @Test
  void aNewerFormatIsRefusedAndLeftUntouched() throws Exception {
    AdminStore store = await(RocksAdminStore.open(vertx, dir));
    await(store.accounts().insertAccount(new Account(Ids.newId(), "default", 1L)));
    await(store.close());
    rawPut("7");
    Map<String, String> before = files();

    Exception refused = assertThrows(Exception.class, () -> await(RocksAdminStore.open(vertx, dir)));

    Throwable cause = refused instanceof StoreFormat.TooNewException ? refused : refused.getCause();
    assertInstanceOf(StoreFormat.TooNewException.class, cause);
    assertEquals("data directory " + dir + " was written by a newer Ferry (store format 7, this build reads up to "
        + RocksRecords.STORE_FORMAT + "); upgrade Ferry or restore a backup", cause.getMessage());
    assertEquals(before, files());
    assertEquals("7", rawGet());
  }

  // Every file of the store with its size and content hash (RocksDB's own info logs aside).
  private Map<String, String> files() throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.list(dir)) {
      for (Path file : all.toList()) {
        String name = file.getFileName().toString();
        if (!name.startsWith("LOG")) {
          files.put(name, Files.size(file) + ":" + Arrays.hashCode(Files.readAllBytes(file)));
        }
      }
    }
    return files;
  }

  private String rawGet() throws Exception {
    try (Options options = new Options(); RocksDB db = RocksDB.open(options, dir.toString())) {
      byte[] value = db.get(StoreFormat.KEY);
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
  }

  // Writes the version key as a different build would (null: as before versions were recorded).
  private void rawPut(String version) throws Exception {
    try (Options options = new Options(); RocksDB db = RocksDB.open(options, dir.toString())) {
      if (version == null) {
        db.delete(StoreFormat.KEY);
      } else {
        db.put(StoreFormat.KEY, version.getBytes(StandardCharsets.UTF_8));
      }
      db.syncWal();
    }
  }
}
