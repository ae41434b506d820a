package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --cluster}: its options, and the report's tables of clusters, forwarded vs local and failover. */
class ClusterReportTest {

  private static final Machine MACHINE = new Machine(2, 0, "cpu", "Linux", "JDK");

  @Test
  void clusterRunsOnPostgresWithoutTheCeilingAndWritesItsOwnTable() {
    BenchOptions options = BenchOptions.parse(new String[] {"--cluster"});
    assertTrue(options.cluster());
    assertTrue(options.onPostgres());
    assertFalse(options.selects(new CeilingScenario()));
    assertEquals("latest-cluster.md", options.output().getFileName().toString());
    assertEquals(List.of(16, 64), options.clusterClients());
    assertEquals(3, options.failovers());
    assertEquals(BenchOptions.DEFAULT_LEASE_MS, options.leaseMs());
    assertFalse(BenchOptions.parse(new String[0]).cluster());
  }

  @Test
  void quickClusterRunsSixteenClientsAndTwoKills() {
    BenchOptions options = BenchOptions.parse(new String[] {"--cluster", "--quick", "--lease-ms", "3000"});
    assertEquals(List.of(16), options.clusterClients());
    assertEquals(2, options.failovers());
    assertEquals(3000, options.leaseMs());
  }

  @Test
  void onlyPicksPartsOfTheClusterRunAndAllRunWithoutIt() {
    BenchOptions pullAck = BenchOptions.parse(new String[] {"--cluster", "--only", "batch-push,pull-ack"});
    assertTrue(pullAck.clusterRuns("batch-push"));
    assertTrue(pullAck.clusterRuns("pull-ack"));
    assertFalse(pullAck.clusterRuns("forwarded"));
    assertFalse(pullAck.clusterRuns("failover"));
    BenchOptions all = BenchOptions.parse(new String[] {"--cluster"});
    BenchOptions.CLUSTER_PARTS.forEach(part -> assertTrue(all.clusterRuns(part), part));
  }

  @Test
  void clusterRefusesOptionsItHasNoUseFor() {
    for (String[] args : List.of(new String[] {"--cluster", "--peers"}, new String[] {"--cluster", "--only", "pull-ack,ws-fanout"},
        new String[] {"--cluster", "--storage", "rocksdb"})) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args));
      assertTrue(e.getMessage().contains("--cluster"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--lease-ms", "3000"}));
    assertTrue(e.getMessage().contains("--lease-ms goes with --cluster"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--cluster", "--lease-ms", "0"}));
    assertTrue(e.getMessage().contains("--lease-ms"), e.getMessage());
  }

  @Test
  void theReportHasARowPerClusterAndScenarioWithTheCpuOfEachProcessGroup() {
    ScenarioResult one = row(PushScenario.batch(), run(200_000, Map.of("ferry", 10.0, "postgres", 4.0, "proxy", 1.0)));
    ScenarioResult three = row(PushScenario.batch(), run(100_000, Map.of("ferry", 6.0, "postgres", 2.0, "proxy", 0.5)));
    String report = render(new ClusterBench.Results(List.of(new ClusterBench.Setup(1, List.of(one),
        Map.of("ferry", 0.25, "postgres", 0.015)), new ClusterBench.Setup(3, List.of(three), Map.of())), null, null));
    assertTrue(report.contains("| messaging instances | scenario | clients | median throughput |"), report);
    assertTrue(report.contains("| 1 | batch push 10 × 100 B | 16 | 40,000 msg/s | 4,000 |"), report);
    assertTrue(report.contains(" | 50.0 s | 20.0 s | 5.0 s |\n"), report);
    assertTrue(report.contains("| 3 | batch push 10 × 100 B | 16 | 20,000 msg/s |"), report);
    assertTrue(report.contains(" | 60.0 s | 20.0 s | 5.0 s |\n"), report);
    assertTrue(report.contains("- Idle, 1 messaging: with no load (right after the warm-up) the cluster used Ferry 0.25,"
        + " PostgreSQL 0.02, nginx — CPU seconds per second\n"), report);
    assertTrue(report.contains("## Forwarded vs local (3 messaging instances)\n\nnot run\n"), report);
    assertTrue(report.contains("## Failover (3 messaging instances)\n\nnot run\n"), report);
    assertTrue(report.contains("\n## 3 messaging instances\n\n### Measured runs\n"), report);
  }

  @Test
  void forwardedAndLocalRowsGiveMessagingCpuPerRequest() {
    ScenarioResult local = row(PushScenario.batch(), run(100_000, Map.of("ferry", 5.0, "messaging", 3.0)));
    ScenarioResult forwarded = row(PushScenario.batch(), run(50_000, Map.of("ferry", 5.0, "messaging", 4.0)));
    String report = render(new ClusterBench.Results(List.of(), new ClusterBench.LocalVsForwarded("messaging-1",
        List.of(local), List.of(forwarded), null), null));
    // 100,000 messages in 10,000 requests over 5 s; 3 s of messaging CPU: 300 µs a request, 30 s per 1M.
    assertTrue(report.contains("| owned by messaging-1 (local) | 16 | 20,000 msg/s |"), report);
    assertTrue(report.contains(" | 50.0 s | 30.0 s | 300 µs | — |\n"), report);
    assertTrue(report.contains("| owned by others (forwarded) | 16 | 10,000 msg/s |"), report);
    assertTrue(report.contains(" | 100.0 s | 80.0 s | 800 µs | — |\n"), report);
  }

  @Test
  void failoverGivesTheMedianAndMaxAndTheLeaseUsed() {
    ErrorTally errors = new ErrorTally();
    errors.record(new HttpStatusException("POST /q/messages/batch", 503, "{\"success\":false}"));
    List<ClusterBench.Kill> kills = List.of(new ClusterBench.Kill("messaging-1", 7, 12.0, errors),
        new ClusterBench.Kill("messaging-2", 3, 9.0, new ErrorTally()),
        new ClusterBench.Kill("messaging-3", 40, 15.5, new ErrorTally()));
    String report = render(new ClusterBench.Results(List.of(), null, new ClusterBench.Failover(10_000, kills, null)));
    assertTrue(report.contains("`messaging.shard-lease-ms` = 10000"), report);
    assertTrue(report.contains("**Kill → first successful push: median 12.0 s, max 15.5 s (3 kills)**"), report);
    assertTrue(report.contains("- messaging-1 killed (owned shard 7): 12.0 s, 1 failed pushes before: 1 × "
        + "`POST /q/messages/batch -> 503 {\"success\":false}`\n"), report);
  }

  @Test
  void aFailoverThatStoppedEarlySaysWhy() {
    String report = render(new ClusterBench.Results(List.of(), new ClusterBench.LocalVsForwarded("messaging-1",
        List.of(), List.of(), "shards not balanced"), new ClusterBench.Failover(10_000, List.of(), "none of 24 queues")));
    assertTrue(report.contains("could not be measured: shards not balanced\n"), report);
    assertTrue(report.contains("- stopped early: none of 24 queues\n"), report);
    assertFalse(report.contains("**Kill"), report);
  }

  private static String render(ClusterBench.Results results) {
    return ClusterReport.render(new ClusterReport.Inputs(MACHINE, 0, "fsync",
        BenchOptions.parse(new String[] {"--cluster"}), results, List.of()));
  }

  private static PhaseResult run(long items, Map<String, Double> cpuSeconds) {
    return new PhaseResult(items, items / 10, 0, items / 10, 5, new LatencyHistogram(), new ErrorTally(), 0,
        cpuSeconds);
  }

  private static ScenarioResult row(Scenario scenario, PhaseResult... runs) {
    return new ScenarioResult(scenario, 16, 3, true, List.of(runs), new ErrorTally(), List.of(), null);
  }
}
