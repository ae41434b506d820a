package io.ferry.contracts.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.contracts.config.StorageConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class PrivateFilesTest {

  @TempDir
  Path tmp;

  @Test
  void theDataAndServiceDirectoriesAreCreatedOwnerOnly() throws Exception {
    StorageConfig storage = new StorageConfig(StorageConfig.Kind.ROCKSDB, tmp.resolve("data"));

    Path dir = PrivateFiles.serviceDir(storage, "admin");

    assertEquals(tmp.resolve("data/admin"), dir);
    assertEquals("rwx------", FileModes.mode(tmp.resolve("data")));
    assertEquals("rwx------", FileModes.mode(dir));
  }

  @Test
  void existingPermissiveDirectoriesAndFilesAreRestricted() throws Exception {
    Path data = tmp.resolve("data");
    Path service = data.resolve("admin");
    Files.createDirectories(service.resolve("archive"));
    Files.writeString(service.resolve("CURRENT"), "MANIFEST-000001\n");
    Files.writeString(service.resolve("archive/000001.log"), "secret");
    FileModes.set(data, "rwxrwxrwx");
    FileModes.set(service, "rwxr-xr-x");
    FileModes.set(service.resolve("archive"), "rwxrwxr-x");
    FileModes.set(service.resolve("CURRENT"), "rw-rw-rw-");
    FileModes.set(service.resolve("archive/000001.log"), "rw-r--r--");

    PrivateFiles.serviceDir(new StorageConfig(StorageConfig.Kind.ROCKSDB, data), "admin");
    PrivateFiles.restrictTree(service);

    assertEquals(Map.of(), FileModes.notPrivate(data));
  }

  /** RocksDB creates its files 0644 whatever the umask; the listener restricts those it makes while open. */
  @Test
  void filesRocksDbCreatesWhileOpenAreRestricted() throws Exception {
    Path dir = tmp.resolve("db");
    PrivateFiles.createDirectories(dir);
    RocksDB.loadLibrary();
    try (PrivateRocksFiles listener = new PrivateRocksFiles(dir);
        Options options = new Options().setCreateIfMissing(true).setListeners(List.of(listener));
        RocksDB db = RocksDB.open(options, dir.toString());
        FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      PrivateFiles.restrictTree(dir);
      db.put("whsec".getBytes(StandardCharsets.UTF_8), "secret".getBytes(StandardCharsets.UTF_8));
      db.flush(flush);
      db.put("more".getBytes(StandardCharsets.UTF_8), "x".getBytes(StandardCharsets.UTF_8));
      db.flush(flush);
      db.compactRange();

      try (var files = Files.list(dir)) {
        assertFalse(files.noneMatch(file -> file.toString().endsWith(".sst")), "a table was written");
      }
      // Listeners run on RocksDB's background threads, possibly just after flush() returned.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(Map.of(), FileModes.notPrivate(dir)));
    }
  }
}
