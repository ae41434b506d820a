package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** The service mains have no data-directory lock of their own: RocksDB's is translated into the same line. */
class StartupExceptionTest {

  @TempDir
  Path dir;

  @Test
  void rocksDbLockHeldByAnotherOpenBecomesTheInUseLine() throws Exception {
    RocksDB.loadLibrary();
    Path store = dir.resolve("admin");
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB first = RocksDB.open(options, store.toString())) {
      RocksDBException locked = assertThrows(RocksDBException.class, () -> RocksDB.open(options, store.toString()));
      assertEquals(StartupException.inUse(store),
          StartupException.explain(new CompletionException(new IllegalStateException("open failed", locked))));
    }
  }

  @Test
  void lockHeldByAnotherProcessNamesTheDirectory() {
    RocksDBException other = new RocksDBException(
        "IO error: While lock file: ./data/admin/LOCK: Resource temporarily unavailable");
    assertEquals(StartupException.inUse(Path.of("./data/admin")), StartupException.explain(other));
  }

  @Test
  void aNativeLibraryThatCannotLoadNamesTheTemporaryDirectory() {
    // As RocksDB fails when java.io.tmpdir is mounted noexec.
    UnsatisfiedLinkError noexec = new UnsatisfiedLinkError("/tmp/librocksdbjni1.so: /tmp/librocksdbjni1.so: "
        + "failed to map segment from shared object");
    String line = StartupException.explain(new CompletionException(noexec));
    assertEquals(StartupException.nativeLibrary(noexec.getMessage()), line);
    assertTrue(line.contains("failed to map segment from shared object"), line);
    assertTrue(line.contains("temporary directory " + System.getProperty("java.io.tmpdir") + ","), line);
    assertTrue(line.contains("-Djava.io.tmpdir="), line);
  }

  @Test
  void otherFailuresAreNotExplainedAway() {
    assertNull(StartupException.explain(new IllegalStateException("a bug", new NullPointerException())));
  }
}
