package io.ferry.bench;

import java.util.List;

/**
 * One benchmark scenario. The runner asks it for a {@link Workload} per client count, then drives that many
 * simulated clients through a warm-up and the measured runs. Adding a scenario is one class implementing
 * this and a line in {@link Scenarios}.
 */
interface Scenario {

  /** Short name for {@code --only}, e.g. {@code batch-push}. */
  String id();

  /** What the table calls it, e.g. {@code batch push 10 × 100 B}. */
  String title();

  /** What one item is, for the throughput column: {@code msg/s} or {@code req/s}. */
  String unit();

  List<Integer> clientCounts();

  Target target();

  /** Sets up what {@code clients} simulated clients need (queues, servers); called before the warm-up. */
  Workload prepare(BenchContext context, int clients) throws Exception;
}
