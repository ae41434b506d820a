package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsAreTheFullRun() {
    BenchOptions options = BenchOptions.parse(new String[0]);
    assertEquals(Duration.ofSeconds(10), options.ferryWarmup());
    assertEquals(Duration.ofSeconds(3), options.warmup());
    assertEquals(Duration.ofSeconds(5), options.run());
    assertEquals(3, options.runs());
  }

  @Test
  void quickShortensTheRuns() {
    BenchOptions options = BenchOptions.parse(new String[] {"--quick"});
    assertEquals(Duration.ofSeconds(4), options.ferryWarmup());
    assertEquals(Duration.ofSeconds(1), options.warmup());
    assertEquals(Duration.ofSeconds(2), options.run());
  }

  @Test
  void onlySelectsScenariosAndKeepsTheCeiling() {
    BenchOptions options = BenchOptions.parse(new String[] {"--only", "pull-ack,single-push"});
    assertEquals(Set.of("pull-ack", "single-push"), options.only());
    assertTrue(options.selects(new PullAckScenario()));
    assertFalse(options.selects(PushScenario.batch()));
    assertTrue(options.selects(new CeilingScenario()));
    assertFalse(BenchOptions.parse(new String[] {"--no-ceiling"}).selects(new CeilingScenario()));
  }

  @Test
  void explicitDurationsBeatQuick() {
    BenchOptions options = BenchOptions.parse(new String[] {"--quick", "--duration", "7", "--runs", "5"});
    assertEquals(Duration.ofSeconds(7), options.run());
    assertEquals(5, options.runs());
  }

  @Test
  void badValuesNameTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--runs", "zero"}));
    assertTrue(e.getMessage().contains("--runs"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--duration"}));
    assertTrue(e.getMessage().contains("--duration needs a value"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--fast"}));
    assertTrue(e.getMessage().contains("unknown option --fast"), e.getMessage());
  }
}
