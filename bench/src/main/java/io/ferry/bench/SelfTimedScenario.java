package io.ferry.bench;

/**
 * A scenario that is not a closed loop of request rounds (open-loop publishing to WebSocket subscribers,
 * holding idle connections), so it runs its own warm-up and measured phases. The runner still gives it a
 * row, its error tally and notes, and turns an exception into a FAILED row with Ferry's output.
 */
interface SelfTimedScenario extends Scenario {

  /** Measures the row; errors and notes it collects are the row's even when it throws. */
  ScenarioResult measure(BenchContext context, int clients, ErrorTally errors, java.util.List<String> notes)
      throws Exception;
}
