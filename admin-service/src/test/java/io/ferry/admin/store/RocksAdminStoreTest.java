package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;

/** {@link RocksAdminStore} against every area contract, each test on a store of its own in a temporary directory. */
class RocksAdminStoreTest {

  @TempDir
  Path dir;

  Future<RocksAdminStore> open(Vertx vertx, int maxEventsPerAccount) {
    return RocksAdminStore.open(vertx, dir, maxEventsPerAccount);
  }

  @Nested
  class Accounts extends AccountRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Queues extends QueueRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Consumers extends ConsumerRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Listeners extends ListenerRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class EventSubscriptions extends EventSubscriptionRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Audit extends AuditRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Attempts extends AttemptRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Settings extends SettingRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Lifecycle extends StoreLifecycleContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  /**
   * Log entries (attempts, audit) land at the end of their owner's key range: RocksDB is told so, through the
   * insert hint kept per key prefix covering the kind and the owner's id, in the options file it writes.
   */
  @Test
  void logAppendsInsertWithAHintPerOwner() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      open(vertx, 10).compose(RocksAdminStore::close).await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    Path options;
    try (Stream<Path> files = Files.list(dir)) {
      options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).max(Path::compareTo)
          .orElseThrow();
    }
    List<String> hints = Files.readAllLines(options).stream().map(String::trim)
        .filter(line -> line.startsWith("memtable_insert_with_hint_prefix_extractor=")).toList();
    assertEquals(List.of("memtable_insert_with_hint_prefix_extractor=rocksdb.CappedPrefix.41"), hints);
    assertEquals(("wattempt/" + Ids.newId()).length(), RocksRecords.LOG_OWNER_PREFIX_BYTES,
        "the hint's prefix is an attempt log's kind and its listener's id");
  }

  /** Stores written before attempt logs were kept without indexes lose those indexes at open, and keep the logs. */
  @Nested
  class LegacyAttemptIndexes extends AdminStoreContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }

    @Test
    void areDroppedAtOpen() throws Exception {
      QueueInfo queue = storedQueue("acct", "legacy");
      Listener listener = listener(queue, "l");
      await(store.listeners().insertListener(listener));
      WebhookAttempt attempt = new WebhookAttempt(Ids.newId(), queue.id(), listener.id(), Ids.newId(), 1,
          System.currentTimeMillis(), "2xx", 200, null, 3, "ok");
      await(store.attempts().appendAttempts(List.of(attempt), 10));
      await(store.close());
      String logKey = "wattempt/" + listener.id() + "/0000000000000000";
      Map<String, String> legacy = Map.of(
          "wattemptid/" + attempt.id(), logKey,
          "wattemptmsg/" + queue.id() + "/" + attempt.messageId() + "/0000000000000000/" + listener.id(), logKey);
      try (RocksDB db = RocksDB.open(dir.toString())) {
        for (Map.Entry<String, String> entry : legacy.entrySet()) {
          db.put(bytes(entry.getKey()), bytes(entry.getValue()));
        }
      }

      store = await(openStore(vertx, maxEventsPerAccount()));
      assertEquals(List.of(attempt), await(store.attempts().listenerAttempts(listener.id(), null, 10)).attempts());
      assertEquals(List.of(attempt), await(store.attempts().messageAttempts(queue.id(), attempt.messageId(), 10)));
      await(store.close());
      try (RocksDB db = RocksDB.openReadOnly(dir.toString())) {
        for (String key : legacy.keySet()) {
          assertNull(db.get(bytes(key)), key);
        }
        assertNotNull(db.get(bytes(logKey)), "the log itself stays");
      }
    }

    private static byte[] bytes(String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }
}
