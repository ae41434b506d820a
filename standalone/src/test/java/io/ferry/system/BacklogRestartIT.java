package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart with a backlog of 100,000 messages recovers all of them. Every batch push is answered
 * 200, then the process is killed with kill -9, restarted, and the whole backlog is pulled (and acked as it
 * goes): exactly the 100,000 bodies, none missing, none twice.
 */
class BacklogRestartIT {

  private static final String KEY = "fry_backlog-test-key-0123456789abcdef01";
  private static final int MESSAGES = 100_000;
  private static final int BATCH = 100;
  private static final int PRODUCERS = 4;
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void aKilledProcessComesBackWithTheWholeBacklog() throws Exception {
    int port = Ports.free();
    String jar = PinnedJar.pin("ferry.standalone.jar", dir.resolve("jar"));
    QueueClient queue;
    long pushMs;
    try (FerryProcess first = FerryProcess.start("backlog-1", jar, dir, port,
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY)).awaitReady(START)) {
      queue = QueueClient.createQueue(first.baseUrl(), KEY, "backlog", 100);
      long t0 = System.nanoTime();
      pushAll(queue);
      pushMs = (System.nanoTime() - t0) / 1_000_000;
      first.kill();
    }

    long t0 = System.nanoTime();
    try (FerryProcess second = FerryProcess.start("backlog-2", jar, dir, port,
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY)).awaitReady(START)) {
      long readyMs = (System.nanoTime() - t0) / 1_000_000;

      HttpJson.Reply metrics = queue.metrics();
      // GET .../metrics is not served yet everywhere; a 404 skips this check until it is.
      String metricsSeen = "not served (404), skipped";
      if (metrics.status() != 404) {
        assertEquals(200, metrics.status(), metrics::toString);
        assertEquals(MESSAGES, metrics.result().getLong("backlog_count"), metrics::toString);
        metricsSeen = "backlog_count " + metrics.result().getLong("backlog_count");
      }

      long t1 = System.nanoTime();
      BitSet seen = new BitSet(MESSAGES);
      List<String> twice = new ArrayList<>();
      long pulled = 0;
      for (int emptyPulls = 0; emptyPulls < 2; ) {
        QueueClient.PullReply reply = queue.pull(BATCH, 60_000, 1_000);
        assertEquals(200, reply.status(), reply::toString);
        if (reply.messages().isEmpty()) {
          emptyPulls++;
          continue;
        }
        List<String> leases = new ArrayList<>();
        for (QueueClient.Pulled message : reply.messages()) {
          int n = Math.toIntExact(QueueClient.counterOf(message.key()));
          assertEquals(1, QueueClient.producerOf(message.key()), () -> "unknown body " + message);
          if (seen.get(n) && twice.size() < 10) {
            twice.add(QueueClient.describe(message.key()));
          }
          seen.set(n);
          leases.add(message.leaseId());
        }
        pulled += leases.size();
        QueueClient.AckReply acked = queue.ack(leases, List.of(), 0);
        assertEquals(200, acked.status(), acked::toString);
        assertEquals(leases.size(), acked.ackCount(), acked::toString);
      }
      long drainMs = (System.nanoTime() - t1) / 1_000_000;
      System.out.printf("backlog-restart: %d messages pushed in %d ms, kill -9, restart to ready %d ms,"
          + " metrics %s, pulled+acked %d in %d ms, distinct %d%n", MESSAGES, pushMs, readyMs, metricsSeen, pulled,
          drainMs, seen.cardinality());
      assertTrue(twice.isEmpty(), () -> "delivered twice: " + twice);
      assertEquals(MESSAGES, seen.cardinality(), () -> "missing, first: " + seen.nextClearBit(0));
      assertEquals(MESSAGES, pulled);
    }
  }

  // Every batch must be answered 200: nothing here is in doubt, the process is killed only afterwards.
  private static void pushAll(QueueClient queue) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      int batches = MESSAGES / BATCH;
      for (int p = 0; p < PRODUCERS; p++) {
        int first = p;
        sent.add(pool.submit(() -> {
          for (int b = first; b < batches; b += PRODUCERS) {
            List<Long> keys = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
              keys.add(QueueClient.key(1, (long) b * BATCH + i));
            }
            int status = queue.pushBatch(keys);
            assertEquals(200, status, "batch " + b);
          }
          return null;
        }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
