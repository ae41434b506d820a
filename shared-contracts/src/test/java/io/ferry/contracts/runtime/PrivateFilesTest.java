package io.ferry.contracts.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.contracts.config.StorageConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
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

  /**
   * A flush forced by a full write-ahead log (reason kWALFull, 13) is one RocksJava 9.10 cannot describe to a
   * Java listener: it printed an IllegalArgumentException to stderr from a RocksDB thread for every such flush.
   * The listener does not ask for flush completions (the tables they write are announced as created).
   */
  @Test
  void aFlushForcedByAFullWriteAheadLogPrintsNoErrorAndItsTablesArePrivate() throws Exception {
    Path dir = tmp.resolve("wal-full");
    PrivateFiles.createDirectories(dir);
    RocksDB.loadLibrary();
    PrintStream stderr = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (PrivateRocksFiles listener = new PrivateRocksFiles(dir);
        DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
            .setMaxTotalWalSize(256 * 1024).setListeners(List.of(listener));
        ColumnFamilyOptions families = new ColumnFamilyOptions().setWriteBufferSize(64 * 1024);
        RocksDB db = RocksDB.open(options, dir.toString(), List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, families),
            new ColumnFamilyDescriptor("busy".getBytes(StandardCharsets.UTF_8), families)), handles)) {
      System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
      PrivateFiles.restrictTree(dir);
      // One entry in the default family keeps the oldest log alive while the busy family fills log after log,
      // until the logs pass their total bound and RocksDB flushes the default family for that reason.
      db.put(handles.get(0), "whsec".getBytes(StandardCharsets.UTF_8), "secret".getBytes(StandardCharsets.UTF_8));
      byte[] value = new byte[1024];
      for (int i = 0; i < 4_000; i++) {
        db.put(handles.get(1), ("k" + i).getBytes(StandardCharsets.UTF_8), value);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> !"0".equals(db.getProperty(handles.get(0),
          "rocksdb.num-files-at-level0")));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(Map.of(), FileModes.notPrivate(dir)));
      assertEquals("", printed.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(stderr);
      handles.forEach(ColumnFamilyHandle::close);
    }
  }
}
