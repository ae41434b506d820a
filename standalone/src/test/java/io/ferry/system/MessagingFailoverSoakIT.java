package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MessagingFailoverIT}'s kill, restart and graceful stop, 20 rounds on one cluster (a different instance
 * each time), with the figures: acknowledged messages and failover times over all rounds. Slow: runs with
 * {@code mvn -B verify -Pslow} (the whole slow suite), or alone with {@code mvn -B verify -Pslow -pl standalone
 * -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * -Dit.test=MessagingFailoverSoakIT}; {@code -Dferry.failover.rounds} changes the 20.
 */
@Tag("slow")
class MessagingFailoverSoakIT {

  static final int ROUNDS = Integer.getInteger("ferry.failover.rounds", 20);

  // Kept when the test fails: the processes' logs are the only record of what happened in the cluster.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void twentyKillsAndGracefulStopsUnderLoadLoseNothing() throws Exception {
    int messaging = MessagingFailoverIT.MESSAGING;
    List<FailoverRound.Figures> rounds = new ArrayList<>();
    try (FailoverCluster cluster = FailoverCluster.start(dir, messaging, MessagingFailoverIT.SHARD_LEASE_MS,
        MessagingFailoverIT.QUEUES)) {
      for (int round = 1; round <= ROUNDS; round++) {
        int killed = (round - 1) % messaging + 1;
        int stopped = round % messaging + 1;
        FailoverRound.Figures figures = FailoverRound.run(cluster, round, killed, stopped, true);
        rounds.add(figures);
        MessagingFailoverIT.assertClean(figures.outcome());
      }
    }
    long[] failoverMs = rounds.stream().flatMapToLong(r -> LongStream.of(r.failoverMs())).sorted().toArray();
    long[] worstPerRound = rounds.stream().mapToLong(FailoverRound.Figures::maxFailoverMs).sorted().toArray();
    System.out.printf("messaging failover soak: %d rounds, %d messaging instances, pushes acknowledged=%d, acks"
            + " answered=%d, failover ms per queue min=%d median=%d p95=%d max=%d, worst per round %s, failed"
            + " requests during planned moves=%d%n", rounds.size(), messaging,
        rounds.stream().mapToLong(FailoverRound.Figures::pushesAcknowledged).sum(),
        rounds.stream().mapToLong(FailoverRound.Figures::acksAnswered).sum(), failoverMs[0],
        failoverMs[failoverMs.length / 2], failoverMs[(int) (failoverMs.length * 0.95)],
        failoverMs[failoverMs.length - 1], Arrays.toString(worstPerRound),
        rounds.stream().mapToLong(r -> r.rebalanceFailures() + Math.max(0, r.gracefulStopFailures())).sum());
    for (FailoverRound.Figures figures : rounds) {
      assertEquals(0, figures.rebalanceFailures(), figures::toString);
      if (messaging > 1) {
        assertEquals(0, figures.gracefulStopFailures(), figures::toString);
        assertTrue(figures.maxFailoverMs() <= MessagingFailoverIT.SHARD_LEASE_MS
            + MessagingFailoverIT.FAILOVER_MARGIN.toMillis(), figures::toString);
      }
    }
  }
}
