package io.ferry.bench;

import java.util.List;

/**
 * One benchmark scenario: one row of the table per client count. A scenario is either a
 * {@link RoundScenario}, whose closed-loop rounds the runner drives, or a {@link SelfTimedScenario}, which
 * runs its own phases. Adding a scenario is one class implementing either and a line in {@link Scenarios}.
 */
interface Scenario {

  /** Short name for {@code --only}, e.g. {@code batch-push}. */
  String id();

  /** What the table calls it, e.g. {@code batch push 10 × 100 B}. */
  String title();

  /** What one item is, for the throughput column: {@code msg/s} or {@code req/s}. */
  String unit();

  List<Integer> clientCounts();

  /** What a row with {@code clients} clients is held against. */
  Target target(int clients);
}
