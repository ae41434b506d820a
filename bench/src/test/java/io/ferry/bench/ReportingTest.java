package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
}
