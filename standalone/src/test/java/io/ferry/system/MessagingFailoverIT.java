package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several messaging instances sharing the queues on one PostgreSQL (docs/scale-out.md), under mixed load: pushes
 * spread over the instances, pull+ack consumers, a webhook listener, WebSocket subscribers resuming by sequence.
 * kill -9 of an instance loses no acknowledged push, redelivers no acked message, duplicates only leases in
 * flight, leaves the streams gap-free, and every queue is served again within the shard lease and a margin; its
 * restart and a SIGTERM of another instance (planned moves) fail no request. A SIGSTOPped owner is fenced: the
 * others serve its queues, and once it runs again nothing it writes late is lost or doubled.
 *
 * <p>{@code -Dferry.failover.messaging=N} sets how many messaging instances run (default {@value #DEFAULT_MESSAGING});
 * with 1 the kill is an outage until the restart, and the failover and fencing checks are skipped.
 *
 * <p>Kept out of the default run (tag {@code slow}, {@code mvn verify -Pslow -Dit.test=MessagingFailoverIT}) until
 * the 20-round soak runs clean: as of 2026-12-07 this test passes and the soak's rebalances fail no request, but
 * a graceful stop can still lose a call sent to a shard's address as it is withdrawn, and a WebSocket subscriber
 * once missed the last message of a round (docs/scale-out.md, "Where it stands").
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessagingFailoverIT {

  static final int DEFAULT_MESSAGING = 3;
  static final int MESSAGING = Integer.getInteger("ferry.failover.messaging", DEFAULT_MESSAGING);
  static final int SHARD_LEASE_MS = 3_000;
  static final int QUEUES = 16;
  /** What the brief of scale-out promises: a dead owner's queues are served again within the lease and this. */
  static final Duration FAILOVER_MARGIN = Duration.ofSeconds(5);

  // Kept when the test fails: the processes' logs are the only record of what happened in the cluster.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;
  FailoverCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = FailoverCluster.start(dir, MESSAGING, SHARD_LEASE_MS, QUEUES);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aKilledInstancesQueuesAreServedAgainWithoutLossAndPlannedMovesFailNothing() throws Exception {
    // With three or more, the stopped instance stays down (the fencing test needs two instances, not all of
    // them; this keeps the class within two minutes); the soak restarts it every round.
    FailoverRound.Figures figures = FailoverRound.run(cluster, 1, 1, MESSAGING, MESSAGING < 3);
    assertClean(figures.outcome());
    assertEquals(0, figures.rebalanceFailures(), "failed requests while the restarted instance took shards back");
    if (MESSAGING < 2) {
      Assumptions.abort("one messaging instance: the kill was an outage until the restart (queues served again"
          + " after " + figures.maxFailoverMs() + " ms); failover bound and graceful stop not checked");
    }
    assertTrue(figures.maxFailoverMs() <= SHARD_LEASE_MS + FAILOVER_MARGIN.toMillis(),
        "every queue served again within the lease + " + FAILOVER_MARGIN + ": "
            + Arrays.toString(figures.failoverMs()));
    assertEquals(0, figures.gracefulStopFailures(), "failed requests around a SIGTERM (graceful release)");
  }

  @Test
  @Order(2)
  void aFrozenOwnerIsFencedOffAndItsLateWritesAreRefused() throws Exception {
    Assumptions.assumeTrue(MESSAGING >= 2, "fencing needs a second messaging instance to take the shards over");
    int frozen = 1;
    try (FailoverLoad load = new FailoverLoad(cluster).start()) {
      load.awaitProgress(FailoverRound.ACKS_PER_PHASE, FailoverRound.PHASE_LIMIT);
      // Clients on the frozen instance keep their requests pending there: its answers after SIGCONT are judged.
      long frozenAt = System.nanoTime();
      cluster.messaging(frozen).pause();
      load.disrupted();
      long[] servedMs;
      try {
        servedMs = load.probeEveryQueue(FailoverRound.survivors(cluster, frozen), frozenAt,
            FailoverRound.PHASE_LIMIT);
        // Frozen for longer than its lease, whatever the probes took.
        load.awaitProgress(FailoverRound.ACKS_PER_PHASE, FailoverRound.PHASE_LIMIT);
        while (System.nanoTime() - frozenAt < Duration.ofMillis(2L * SHARD_LEASE_MS).toNanos()) {
          load.awaitProgress(FailoverRound.ACKS_PER_PHASE / 3, FailoverRound.PHASE_LIMIT);
        }
      } finally {
        cluster.messaging(frozen).resume();
      }
      load.awaitProgress(FailoverRound.ACKS_PER_PHASE, FailoverRound.PHASE_LIMIT);
      FailoverLoad.Outcome outcome = load.finish();
      System.out.println("fencing: queues served by the others after " + Arrays.toString(servedMs) + " ms; "
          + outcome.summary());
      if (outcome.verdict().lost > 0) {
        StoredMessagesProbe.describe(cluster.storage, outcome.verdict().examples, 10)
            .forEach(line -> System.out.println("fencing, stored: " + line));
      }
      assertClean(outcome);
      assertTrue(Arrays.stream(servedMs).max().orElse(0) <= SHARD_LEASE_MS + FAILOVER_MARGIN.toMillis(),
          "the frozen owner's queues served by the others within the lease + " + FAILOVER_MARGIN + ": "
              + Arrays.toString(servedMs));
    }
  }

  static void assertClean(FailoverLoad.Outcome outcome) {
    CrashVerdict verdict = outcome.verdict();
    String examples = "\n  " + String.join("\n  ", verdict.examples);
    assertEquals(0, verdict.lost, () -> "acknowledged pushes lost:" + examples);
    assertEquals(0, verdict.redeliveredAfterAck, () -> "messages delivered again after an answered ack:" + examples);
    assertEquals(0, verdict.staleAcksAccepted, () -> "acks accepted for superseded leases:" + examples);
    assertEquals(0, verdict.phantoms, () -> "messages whose push failed were delivered:" + examples);
    assertEquals(0, verdict.duplicatesUnexplained, () -> "duplicates not explained by a lease in flight at a"
        + " disruption, expired or retried:" + examples);
    assertEquals(List.of(), outcome.streamProblems(), "WebSocket streams resumed by sequence");
    assertEquals(List.of(), outcome.webhookProblems(), "the webhook listener");
  }
}
