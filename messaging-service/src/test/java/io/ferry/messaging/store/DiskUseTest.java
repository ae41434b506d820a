package io.ferry.messaging.store;

import static io.ferry.messaging.store.DiskChurn.directoryBytes;
import static io.ferry.messaging.store.DiskChurn.walBytes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The message store's disk use follows its backlog, not the traffic it has seen. */
class DiskUseTest {

  private static final long MB = 1024 * 1024;

  @TempDir
  Path directory;

  @Test
  void theWriteAheadLogStaysBoundedWhileMessagesArePushedAndAcked() {
    MessageStore store = RocksMessageStore.open(directory);
    try {
      // About 240 MB through the log, nearly all of it acked again: well past the bound, with no backlog.
      DiskChurn churn = new DiskChurn(store, 2048);
      long highest = 0;
      for (int round = 0; round < 10; round++) {
        churn.pushAndAck(10_000, 0);
        highest = Math.max(highest, walBytes(directory));
      }
      assertTrue(highest <= 2 * RocksMessageStore.MAX_TOTAL_WAL_BYTES,
          "write-ahead log reached " + highest / MB + " MB");
      assertTrue(directoryBytes(directory) <= 2 * RocksMessageStore.MAX_TOTAL_WAL_BYTES + 16 * MB,
          "data directory holds " + directoryBytes(directory) / MB + " MB");
    } finally {
      DiskChurn.await(store.close());
    }
  }

  @Test
  void deletingAQueueGivesItsDiskSpaceBack() {
    givesTheBacklogsSpaceBack(DiskChurn::delete);
  }

  @Test
  void purgingAQueueGivesItsDiskSpaceBack() {
    givesTheBacklogsSpaceBack(DiskChurn::purge);
  }

  private void givesTheBacklogsSpaceBack(java.util.function.Consumer<DiskChurn> removal) {
    MessageStore store = RocksMessageStore.open(directory);
    try {
      DiskChurn churn = new DiskChurn(store, 2048);
      churn.pushAndAck(30_000, 15_000);
      long withBacklog = directoryBytes(directory);
      assertTrue(withBacklog >= 30 * MB, "the 15,000-message backlog is on disk: " + withBacklog / MB + " MB");

      removal.accept(churn);
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> directoryBytes(directory) <= 4 * MB);
    } finally {
      DiskChurn.await(store.close());
    }
  }
}
