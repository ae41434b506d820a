package io.ferry.messaging.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksMessageStoreTest extends MessageStoreContract {

  @TempDir
  Path directory;

  @Override
  protected MessageStore openStore() {
    return RocksMessageStore.open(directory.resolve("messaging"));
  }

  /** Message bodies are tenants' data: 0700 directories and 0600 files, whatever they were and the umask. */
  @Test
  void theStoreIsReadableByItsOwnerOnly() throws Exception {
    Path dir = directory.resolve("private");
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    RocksMessageStore store = RocksMessageStore.open(dir);
    QueueInfo queue = new QueueInfo(Ids.newId(), "acct", "q", 1L, 1L, QueueSettings.DEFAULTS);
    store.commit(new StoreBatch().putQueue(queue)).await(10, TimeUnit.SECONDS);
    assertEquals(Map.of(), notPrivate(dir), "while open");
    store.close().await(10, TimeUnit.SECONDS);
    assertEquals(Map.of(), notPrivate(dir), "after close");

    RocksMessageStore reopened = RocksMessageStore.open(dir);
    assertEquals(Map.of(), notPrivate(dir), "after reopening");
    reopened.close().await(10, TimeUnit.SECONDS);
  }

  /** One instance owns an embedded store's shards for good: nothing is ever handed over, so nothing is kept. */
  @Test
  void leasesHandedOverAreAcceptedAndNotKept() throws Exception {
    RocksMessageStore store = RocksMessageStore.open(directory.resolve("handed"));
    store.forShard(3).commit(new StoreBatch().handLease(new HandedLease(3, Ids.newId(), 1, Ids.newId(), 5_000, 1))
        .deleteHandedLeases(4)).await(10, TimeUnit.SECONDS);
    CollectedState loaded = new CollectedState(java.util.Set.of(3));
    store.load(loaded).await(10, TimeUnit.SECONDS);
    assertEquals(java.util.List.of(), loaded.handed);
    store.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * Appends land at the end of their queue's (or subscription's) key range: RocksDB is told so, through the
   * insert hint kept per key owner, in the options file it writes beside the store.
   */
  @Test
  void sequenceKeyedFamiliesInsertWithAHintPerOwner() throws Exception {
    Path dir = directory.resolve("hinted");
    RocksMessageStore.open(dir).close().await(10, TimeUnit.SECONDS);

    Map<String, String> hints = new TreeMap<>();
    String family = null;
    try (Stream<Path> files = Files.list(dir)) {
      Path options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).max(Path::compareTo)
          .orElseThrow();
      for (String line : Files.readAllLines(options)) {
        if (line.startsWith("[CFOptions \"")) {
          family = line.substring("[CFOptions \"".length(), line.length() - 2);
        } else if (line.trim().startsWith("memtable_insert_with_hint_prefix_extractor=")) {
          hints.put(family, line.trim().substring(line.trim().indexOf('=') + 1));
        }
      }
    }
    Map<String, String> expected = new TreeMap<>();
    for (String name : RocksFamilies.NAMES) {
      expected.put(name, name.equals("messages") || name.equals("pending") ? "rocksdb.CappedPrefix.33" : "nullptr");
    }
    assertEquals(expected, hints);
  }

  private static Map<String, String> notPrivate(Path root) throws IOException {
    Map<String, String> wrong = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.forEach(path -> {
        try {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
          if (!mode.equals(Files.isDirectory(path) ? "rwx------" : "rw-------")) {
            wrong.put(root.relativize(path).toString(), mode);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return wrong;
  }
}
