package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic and parsing behind the table: medians, ratios, metrics, error grouping. */
class ReportingTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(5, ScenarioResult.median(new double[] {9, 1, 5}));
    assertEquals(4, ScenarioResult.median(new double[] {1, 3, 5, 9}));
    assertEquals(0, ScenarioResult.median(new double[0]));
  }

  @Test
  void warmUpSettlesWhenTheLastThreeSlicesAgreeWithinTenPercent() {
    assertFalse(ScenarioRunner.settled(List.of(100.0, 100.0)));
    assertTrue(ScenarioRunner.settled(List.of(10.0, 95.0, 100.0, 91.0)));
    assertFalse(ScenarioRunner.settled(List.of(95.0, 100.0, 85.0)));
    assertFalse(ScenarioRunner.settled(List.of(0.0, 0.0, 0.0)));
  }

  @Test
  void ratioToTargetAndP99Verdict() {
    Target target = Target.atLeastWithP99(40_000, 10, "≥ 40,000 msg/s, p99 ≤ 10 ms");
    assertEquals("0.50×, p99 ok", target.ratio(20_000, 9.5));
    assertEquals("1.25×, p99 over", target.ratio(50_000, 12));
    assertEquals("2.00×", Target.atLeast(100, "x").ratio(200, 99));
  }

  @Test
  void webhookRowsAreHeldToTheTargetForTheirListenerCount() {
    WebhookDeliveryScenario webhooks = new WebhookDeliveryScenario();
    assertEquals("1.33×", webhooks.target(1).ratio(20_000, 0));
    assertEquals("0.67×", webhooks.target(4).ratio(20_000, 0));
  }

  @Test
  void heapIsTheSumOfTheHeapPools() {
    String metrics = """
        # HELP jvm_memory_used_bytes The amount of used memory
        # TYPE jvm_memory_used_bytes gauge
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 99999.0
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.5E3
        jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 7777.0
        """;
    assertEquals(3500, PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\""));
  }

  @Test
  void missingMetricIsAnErrorNotZero() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PrometheusText.sum("up 1\n", "jvm_memory_used_bytes", "area=\"heap\""));
    assertTrue(e.getMessage().contains("jvm_memory_used_bytes"), e.getMessage());
  }

  @Test
  void errorsAreGroupedByExactStatusAndBody() {
    ErrorTally tally = new ErrorTally();
    tally.record(new HttpStatusException("POST /q/messages", 500, "{\"success\":false}"));
    tally.record(new HttpStatusException("POST /q/messages", 500, "{\"success\":false}"));
    tally.record(new IllegalStateException("connection reset"));
    assertEquals(3, tally.total());
    assertEquals(List.of("POST /q/messages -> 500 {\"success\":false}", "IllegalStateException: connection reset"),
        List.copyOf(tally.kinds().keySet()));
    assertEquals(2L, tally.kinds().get("POST /q/messages -> 500 {\"success\":false}"));
  }

  @Test
  void messagesAreExactlyOneHundredBytes() {
    assertEquals(Payloads.MESSAGE_BYTES, Payloads.message().length());
    assertTrue(Payloads.batch(10).toJsonObject().getJsonArray("messages").size() == 10);
  }

  @Test
  void cpuPerMillionMessagesIsTheMedianOverTheRuns() {
    ScenarioResult row = row(PushScenario.batch(), run(100_000, Map.of("ferry", 2.0, "postgres", 3.0)),
        run(200_000, Map.of("ferry", 2.0, "postgres", 8.0)), run(50_000, Map.of("ferry", 2.0, "postgres", 1.0)));
    assertEquals(20, row.medianCpuPerMillion("ferry"), 1e-9);
    assertEquals(30, row.medianCpuPerMillion("postgres"), 1e-9);
  }

  @Test
  void cpuOfATreeNotWatchedInEveryRunIsUnknown() {
    ScenarioResult row = row(PushScenario.batch(), run(100_000, Map.of("postgres", 3.0)), run(100_000, Map.of()));
    assertEquals(-1, row.medianCpuPerMillion("postgres"));
    assertEquals(-1, row.medianCpuPerMillion("ferry"));
  }

  @Test
  void postgresColumnsCompareFerryWithItsPeerRow() {
    ScenarioResult peer = row(PeerQueueScenario.produce(), run(200_000, Map.of("postgres", 6.0)));
    ScenarioResult ferry = row(PushScenario.batch(), run(300_000, Map.of("ferry", 9.0, "postgres", 4.5)));
    ScenarioResult single = row(PushScenario.single(), run(100_000, Map.of("ferry", 5.0, "postgres", 2.0)));
    List<ScenarioResult> rows = List.of(peer, ferry, single);
    assertEquals(" 1.50× | 30.0 s | 15.0 s |", Report.postgresColumns(ferry, rows));
    assertEquals(" — | — | 30.0 s |", Report.postgresColumns(peer, rows));
    assertEquals(" — | 50.0 s | 20.0 s |", Report.postgresColumns(single, rows));
  }

  @Test
  void rocksDbTableKeepsItsColumnsAndPostgresAddsThree() {
    ScenarioResult ferry = row(PushScenario.batch(), run(300_000, Map.of("ferry", 9.0)));
    Machine machine = new Machine(2, 0, "cpu", "Linux", "JDK");
    String rocks = Report.render(new Report.Inputs(machine, 0, "fsync", BenchOptions.parse(new String[0]),
        List.of(ferry), null, null, List.of(), null, "epoll"));
    assertTrue(rocks.contains("| errors | other CPU |\n| --- |"), rocks);
    assertTrue(rocks.contains("- Durability: fsync per group commit, on\n"), rocks);
    assertFalse(rocks.contains("PostgreSQL"), rocks);
    assertTrue(rocks.contains("Vert.x HttpClient on epoll, one keep-alive connection"), rocks);
    String pg = Report.render(new Report.Inputs(machine, 0, "fsync",
        BenchOptions.parse(new String[] {"--storage", "postgres"}), List.of(ferry), null, null, List.of(),
        "PostgreSQL 15.18, fsync=on", "NIO (epoll unavailable: test)"));
    assertTrue(pg.contains("| other CPU | vs. peer | Ferry CPU per 1M msg | PostgreSQL CPU per 1M msg |\n"), pg);
    assertTrue(pg.contains("- Storage: PostgreSQL 15.18, fsync=on\n"), pg);
    assertTrue(pg.contains("Vert.x HttpClient on NIO (epoll unavailable: test), one"), pg);
    assertTrue(pg.contains(" | — | 30.0 s | — |\n"), pg);
  }

  private static PhaseResult run(long items, Map<String, Double> cpuSeconds) {
    return new PhaseResult(items, items / 10, 0, items / 10, 5, new LatencyHistogram(), new ErrorTally(), 0,
        cpuSeconds);
  }

  private static ScenarioResult row(Scenario scenario, PhaseResult... runs) {
    return new ScenarioResult(scenario, 16, 3, true, List.of(runs), new ErrorTally(), List.of(), null);
  }
}
