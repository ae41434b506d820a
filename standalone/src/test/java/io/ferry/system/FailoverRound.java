package io.ferry.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * One round of the messaging failover scenario on a running {@link FailoverCluster}, under {@link FailoverLoad}:
 * kill -9 of one messaging instance (the survivors must serve its queues within the shard lease and a margin),
 * its restart (a planned move of shards back to it: no failed request), then SIGTERM of another one after it
 * was taken out of the clients' rotation (a graceful release: no failed request) and its restart. With one
 * messaging instance there is no survivor: the kill is an outage until the restart, and no SIGTERM is tried.
 */
final class FailoverRound {

  /** How much load (acks) each phase waits for before the next step: the load must flow throughout. */
  static final long ACKS_PER_PHASE = 300;
  static final Duration PHASE_LIMIT = Duration.ofSeconds(60);

  /**
   * What one round measured.
   *
   * @param failoverMs per queue, from the kill to the first push answered 200 by another instance (with one
   *     instance: by the restarted one)
   * @param rebalanceFailures failed requests from the killed instance's restart to the end of the next phase
   * @param gracefulStopFailures failed requests around the SIGTERM of another instance (-1: not tried)
   */
  record Figures(int round, int killed, long[] failoverMs, long rebalanceFailures, long gracefulStopFailures,
      FailoverLoad.Outcome outcome, long pushesAcknowledged, long acksAnswered) {

    long maxFailoverMs() {
      return Arrays.stream(failoverMs).max().orElse(0);
    }

    @Override
    public String toString() {
      CrashVerdict v = outcome.verdict();
      long[] sorted = failoverMs.clone();
      Arrays.sort(sorted);
      return String.format("failover round %d (killed messaging-%d): pushes acknowledged=%d, acks answered=%d,"
              + " failover ms min=%d median=%d max=%d, failed requests during rebalance=%d, during graceful"
              + " stop=%s | lost=%d, redelivered-after-ack=%d, duplicates=%d (in flight at a kill %d, lease"
              + " expired %d, retried %d, left to expire %d, unexplained %d), phantoms=%d, in-doubt pushes"
              + " delivered=%d, drained=%d | %s",
          round, killed, pushesAcknowledged, acksAnswered, sorted[0], sorted[sorted.length / 2],
          sorted[sorted.length - 1], rebalanceFailures, gracefulStopFailures < 0 ? "not tried" : gracefulStopFailures,
          v.lost, v.redeliveredAfterAck, v.duplicates, v.duplicatesCrash, v.duplicatesExpired, v.duplicatesRetried,
          v.duplicatesLeftToExpire, v.duplicatesUnexplained, v.phantoms, v.inDoubtPushesSeen, outcome.drained(),
          outcome.summary());
    }
  }

  private FailoverRound() {
  }

  /**
   * Runs one round, killing instance {@code killed} and stopping instance {@code stopped} (1-based); the
   * stopped one is started again at the end when {@code restartStopped} (the next round needs it).
   */
  static Figures run(FailoverCluster cluster, int round, int killed, int stopped, boolean restartStopped)
      throws Exception {
    try (FailoverLoad load = new FailoverLoad(cluster).start()) {
      load.awaitProgress(ACKS_PER_PHASE, PHASE_LIMIT);

      long killedAt = System.nanoTime();
      cluster.messaging(killed).kill();
      load.disrupted();
      long[] failoverMs;
      if (cluster.messaging > 1) {
        failoverMs = load.probeEveryQueue(survivors(cluster, killed), killedAt, PHASE_LIMIT);
        load.awaitProgress(ACKS_PER_PHASE, PHASE_LIMIT);
        cluster.cluster.startAgain(FailoverCluster.messagingName(killed));
      } else {
        cluster.cluster.startAgain(FailoverCluster.messagingName(killed));
        failoverMs = load.probeEveryQueue(cluster.messagingBases(), killedAt, PHASE_LIMIT);
      }
      System.out.println("failover round " + round + ": messaging-" + killed + " killed, queues served again after "
          + Arrays.toString(failoverMs) + " ms; " + load.progress());

      // The restarted instance takes its share back from the others while clients return to it.
      long before = load.failedRequests();
      load.returnHome();
      awaitRebalance(cluster, load);
      long rebalanceFailures = load.failedRequests() - before;
      System.out.println("failover round " + round + ": after the rebalance, " + load.progress());

      long gracefulStopFailures = -1;
      if (cluster.messaging > 1) {
        String leaving = cluster.messaging(stopped).baseUrl();
        load.avoid(leaving);
        before = load.failedRequests();
        // Out of rotation first, as a proxy or Kubernetes' preStop pause does: what was sent to it is answered.
        Awaitility.await("the load's requests to " + leaving + " answered").atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(20)).until(() -> RequestsInFlight.count(leaving) == 0);
        cluster.messaging(stopped).terminate(Duration.ofSeconds(60));
        load.awaitProgress(ACKS_PER_PHASE, PHASE_LIMIT);
        gracefulStopFailures = load.failedRequests() - before;
        System.out.println("failover round " + round + ": after the graceful stop, " + load.progress());
        if (restartStopped) {
          cluster.cluster.startAgain(FailoverCluster.messagingName(stopped));
          load.returnHome();
          awaitRebalance(cluster, load);
        }
      }
      FailoverLoad.Outcome outcome = load.finish();
      Figures figures = new Figures(round, killed, failoverMs, rebalanceFailures, gracefulStopFailures, outcome,
          load.ledger.pushedOk.get(), load.ledger.acksConfirmed.get());
      System.out.println(figures);
      return figures;
    }
  }

  // Long enough for a rebalance to happen (shards move within a few lease periods of a join) under load.
  private static void awaitRebalance(FailoverCluster cluster, FailoverLoad load) {
    long until = System.nanoTime() + Duration.ofMillis(3L * cluster.shardLeaseMs).toNanos();
    while (System.nanoTime() < until) {
      load.awaitProgress(ACKS_PER_PHASE / 3, PHASE_LIMIT);
    }
  }

  /** The base URLs of the messaging instances running, but {@code gone}. */
  static List<String> survivors(FailoverCluster cluster, int gone) {
    List<String> bases = new ArrayList<>();
    for (int i = 1; i <= cluster.messaging; i++) {
      if (i != gone && cluster.messaging(i).isAlive()) {
        bases.add(cluster.messaging(i).baseUrl());
      }
    }
    return bases;
  }
}
