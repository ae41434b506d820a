package io.ferry.bench;

/**
 * A scenario of closed-loop request rounds: the runner asks it for a {@link Workload} per client count, then
 * drives that many simulated clients through a warm-up and the measured runs.
 */
interface RoundScenario extends Scenario {

  /** Sets up what {@code clients} simulated clients need (queues, servers); called before the warm-up. */
  Workload prepare(BenchContext context, int clients) throws Exception;
}
