package io.ferry.messaging.store;

import static io.ferry.messaging.store.DiskChurn.directoryBytes;
import static io.ferry.messaging.store.DiskChurn.walBytes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Millions of messages pushed and acked through the store: the data directory stays within 256 MB plus the
 * live backlog the whole time, and returns to almost nothing once the queues are deleted.
 */
@Tag("slow")
class DiskUseSoakTest {

  private static final long MB = 1024 * 1024;
  private static final int QUEUES = 4;
  private static final int MESSAGES = 4_000_000;
  private static final int ROUND = 20_000;
  private static final int BACKLOG = 10_000;
  private static final int BODY_BYTES = 512;
  private static final long BOUND = 256 * MB;

  @TempDir
  Path directory;

  @Test
  void theDataDirectoryFollowsTheBacklogNotTheTraffic() {
    MessageStore store = RocksMessageStore.open(directory);
    try {
      List<DiskChurn> queues = new ArrayList<>();
      for (int i = 0; i < QUEUES; i++) {
        queues.add(new DiskChurn(store, BODY_BYTES));
      }
      // What the backlog itself takes, counted generously (body, id, header and the pending entry).
      long live = (long) QUEUES * BACKLOG * (BODY_BYTES + 200);
      long highest = 0;
      long highestWal = 0;
      long started = System.nanoTime();
      for (int pushed = 0; pushed < MESSAGES; pushed += QUEUES * ROUND) {
        for (DiskChurn queue : queues) {
          queue.pushAndAck(ROUND, BACKLOG);
        }
        highest = Math.max(highest, directoryBytes(directory));
        highestWal = Math.max(highestWal, walBytes(directory));
      }
      long atEnd = directoryBytes(directory);
      System.out.printf("disk soak: %,d messages pushed and acked in %d s; data directory at most %d MB "
          + "(write-ahead log at most %d MB), %d MB at the end with a %,d-message backlog%n", MESSAGES,
          (System.nanoTime() - started) / 1_000_000_000, highest / MB, highestWal / MB, atEnd / MB,
          QUEUES * BACKLOG);
      assertTrue(highest <= BOUND + live, "data directory reached " + highest / MB + " MB");

      queues.forEach(DiskChurn::delete);
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> directoryBytes(directory) <= 4 * MB);
      System.out.printf("disk soak: %d MB after deleting the queues%n", directoryBytes(directory) / MB);
    } finally {
      DiskChurn.await(store.close());
    }
  }
}
