package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --peers}: which rows it selects, the Ferry ÷ peer cell, and how a peer that could not start shows. */
class PeersReportTest {

  private static final Machine MACHINE = new Machine(2, 0, "cpu", "Linux", "JDK");

  @Test
  void peersRunOnlyWhenAskedAndFollowOnly() {
    assertFalse(BenchOptions.parse(new String[0]).peers());
    assertFalse(BenchOptions.parse(new String[0]).selects(RedisPeerScenario.push()));
    BenchOptions peers = BenchOptions.parse(new String[] {"--peers"});
    assertTrue(peers.selects(RedisPeerScenario.push()));
    assertTrue(peers.selects(RedisPeerScenario.pullAck()));
    BenchOptions onlyPull = BenchOptions.parse(new String[] {"--peers", "--only", "pull-ack"});
    assertTrue(onlyPull.selects(RedisPeerScenario.pullAck()));
    assertFalse(onlyPull.selects(RedisPeerScenario.push()));
    assertTrue(BenchOptions.parse(new String[] {"--peers", "--only", "redis-push"}).selects(RedisPeerScenario.push()));
  }

  @Test
  void ferryRowsShowFerryOverEachPeerAtTheSameClientCount() {
    ScenarioResult ferry16 = row(PushScenario.batch(), 16, 500_000);
    ScenarioResult ferry64 = row(PushScenario.batch(), 64, 1_000_000);
    ScenarioResult redis16 = row(RedisPeerScenario.push(), 16, 1_000_000);
    ScenarioResult redis64 = row(RedisPeerScenario.push(), 64, 800_000);
    List<ScenarioResult> rows = List.of(ferry16, redis16, ferry64, redis64);
    assertEquals("Redis 0.50×", PeerRatios.cell(ferry16, rows));
    assertEquals("Redis 1.25×", PeerRatios.cell(ferry64, rows));
    assertEquals("—", PeerRatios.cell(redis16, rows));
    assertEquals("—", PeerRatios.cell(row(new PullAckScenario(), 16, 100_000), rows));
  }

  @Test
  void eachPeerGetsItsOwnRatioInOneCell() {
    ScenarioResult ferry = row(new PullAckScenario(), 16, 500_000);
    List<ScenarioResult> rows = List.of(ferry, row(RedisPeerScenario.pullAck(), 16, 1_000_000),
        row(ElasticMqPeerScenario.pullAck(), 16, 250_000));
    assertEquals("Redis 0.50×; ElasticMQ 2.00×", PeerRatios.cell(ferry, rows));
    assertTrue(BenchOptions.parse(new String[] {"--peers", "--only", "pull-ack"})
        .selects(ElasticMqPeerScenario.pullAck()));
  }

  @Test
  void ratioOfNothingIsADash() {
    assertEquals("2.00×", PeerRatios.ratio(200, 100));
    assertEquals("—", PeerRatios.ratio(200, 0));
  }

  @Test
  void aPeerThatCouldNotStartIsSkippedWithItsReasonAndDoesNotFailTheRun() {
    ScenarioResult ferry = row(PushScenario.batch(), 16, 500_000);
    ScenarioResult skipped = ScenarioResult.skipped(RedisPeerScenario.push(), 16,
        "Redis could not be started: redis-server is not on the PATH");
    assertTrue(skipped.skipped());
    assertFalse(skipped.measured());
    List<ScenarioResult> rows = List.of(ferry, skipped);
    assertEquals("Redis skipped", PeerRatios.cell(ferry, rows));
    String report = Report.render(new Report.Inputs(MACHINE, 0, "fsync", BenchOptions.parse(new String[] {"--peers"}),
        rows, null, null, List.of(), null, "epoll"));
    assertTrue(report.contains("| other CPU | vs. peers (Ferry ÷ peer) |\n"), report);
    assertTrue(report.contains("| 16 | SKIPPED: Redis could not be started: redis-server is not on the PATH | "),
        report);
    assertTrue(report.contains(" | Redis skipped |\n"), report);
    assertFalse(report.contains("FAILED"), report);
  }

  @Test
  void withoutPeersTheTableHasNoPeersColumn() {
    String report = Report.render(new Report.Inputs(MACHINE, 0, "fsync", BenchOptions.parse(new String[0]),
        List.of(row(PushScenario.batch(), 16, 500_000)), null, null, List.of(), null, "epoll"));
    assertFalse(report.contains("vs. peers"), report);
  }

  private static ScenarioResult row(Scenario scenario, int clients, long itemsIn5Seconds) {
    PhaseResult run = new PhaseResult(itemsIn5Seconds, itemsIn5Seconds / 10, 0, itemsIn5Seconds / 10, 5,
        new LatencyHistogram(), new ErrorTally(), 0, Map.of());
    return new ScenarioResult(scenario, clients, 3, true, List.of(run), new ErrorTally(), List.of(), null);
  }
}
