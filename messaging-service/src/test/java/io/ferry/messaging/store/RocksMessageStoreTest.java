package io.ferry.messaging.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksMessageStoreTest extends MessageStoreContract {

  @TempDir
  Path directory;

  @Override
  protected MessageStore openStore() {
    return RocksMessageStore.open(directory.resolve("messaging"));
  }

  /** The same contract with every read going to RocksDB, none answered from the body cache. */
  @Nested
  class WithoutBodyCache extends MessageStoreContract {

    @Override
    protected MessageStore openStore() {
      return RocksMessageStore.open(directory.resolve("uncached"), 0);
    }
  }

  /** A read takes what the cache holds and the rest from RocksDB, in the order asked, and never a deleted one. */
  @Test
  void readsMixTheCachedLatestAppendsWithOlderOnesFromRocksDb() throws Exception {
    RocksMessageStore store = RocksMessageStore.open(directory.resolve("mixed"), 10 * 400);
    try {
      String queueId = Ids.newId();
      StoreBatch appends = new StoreBatch()
          .putQueue(new QueueInfo(queueId, "acct", "q", 1L, 1L, QueueSettings.DEFAULTS));
      LongStream.rangeClosed(1, 30).forEach(sequence -> appends.append(new StoredMessage(Ids.newId(), queueId,
          sequence, null, ContentType.TEXT, ("m" + sequence).getBytes(StandardCharsets.UTF_8), 1L, 1L)));
      store.commit(appends).await(10, TimeUnit.SECONDS);
      assertTrue(store.bodyCacheBytes() > 0 && store.bodyCacheBytes() <= 10 * 400, store.bodyCacheBytes() + " B");

      List<Long> asked = List.of(30L, 2L, 29L, 31L, 15L, 1L);
      assertEquals(List.of("m30", "m2", "m29", "m15", "m1"), bodies(store.read(queueId, asked)));

      store.commit(new StoreBatch().deleteMessage(queueId, 30).deleteMessagesThrough(queueId, 2))
          .await(10, TimeUnit.SECONDS);
      assertEquals(List.of("m29", "m15"), bodies(store.read(queueId, asked)));
    } finally {
      store.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> bodies(io.vertx.core.Future<List<StoredMessage>> read) throws Exception {
    return read.await(10, TimeUnit.SECONDS).stream()
        .map(message -> new String(message.body(), StandardCharsets.UTF_8)).toList();
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
   * What RocksDB is told about the families, as it writes it in the options file beside the store: appends land
   * at the end of their queue's (or subscription's) key range, so sequence-keyed families insert with a hint per
   * key owner; every family compresses with LZ4.
   */
  @Test
  void familiesInsertWithAHintPerOwnerWhereKeyedBySequenceAndCompressWithLz4() throws Exception {
    Path dir = directory.resolve("options");
    RocksMessageStore.open(dir).close().await(10, TimeUnit.SECONDS);

    Map<String, String> settings = new TreeMap<>();
    String family = null;
    try (Stream<Path> files = Files.list(dir)) {
      Path options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).max(Path::compareTo)
          .orElseThrow();
      for (String line : Files.readAllLines(options)) {
        String setting = line.trim();
        if (line.startsWith("[CFOptions \"")) {
          family = line.substring("[CFOptions \"".length(), line.length() - 2);
        } else if (setting.startsWith("memtable_insert_with_hint_prefix_extractor=")
            || setting.startsWith("compression=")) {
          settings.put(family + " " + setting.substring(0, setting.indexOf('=')),
              setting.substring(setting.indexOf('=') + 1));
        }
      }
    }
    Map<String, String> expected = new TreeMap<>();
    for (String name : RocksFamilies.NAMES) {
      expected.put(name + " memtable_insert_with_hint_prefix_extractor",
          name.equals("messages") || name.equals("pending") ? "rocksdb.CappedPrefix.33" : "nullptr");
      expected.put(name + " compression", "kLZ4Compression");
    }
    assertEquals(expected, settings);
  }

  /**
   * The engine applies a queue's appends in the order their commits complete. A request on the engine's event
   * loop commits from its own (duplicated) context, so commits of one queue come from many contexts of one
   * thread, and must complete in the order they were asked for whatever context asked.
   */
  @Test
  void commitsCompleteInTheOrderAskedAcrossContextsOfOneEventLoop() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    RocksMessageStore store = RocksMessageStore.open(directory.resolve("ordered"));
    try {
      String queueId = Ids.newId();
      store.commit(new StoreBatch().putQueue(new QueueInfo(queueId, "acct", "q", 1L, 1L, QueueSettings.DEFAULTS)))
          .await(10, TimeUnit.SECONDS);
      List<Context> contexts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        contexts.add(vertx.getOrCreateContext());
      }
      int commits = 2_000;
      List<Long> completed = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(commits);
      for (int i = 1; i <= commits; i++) {
        long sequence = i;
        contexts.get(i % contexts.size()).runOnContext(v -> store.commit(new StoreBatch().append(
            new StoredMessage(Ids.newId(), queueId, sequence, null, ContentType.TEXT, new byte[] {1}, 1L, 1L)))
            .onComplete(written -> {
              completed.add(written.succeeded() ? sequence : -sequence);
              done.countDown();
            }));
      }
      assertTrue(done.await(30, TimeUnit.SECONDS));
      assertEquals(LongStream.rangeClosed(1, commits).boxed().toList(), completed);
      assertTrue(store.syncCount() < commits, "commits shared syncs, so groups held several contexts");
    } finally {
      store.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
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
