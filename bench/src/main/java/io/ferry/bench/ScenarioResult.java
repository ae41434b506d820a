package io.ferry.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row of the table: a scenario at one client count, how long it warmed up (and whether throughput had
 * settled by then), its measured runs, errors and notes; {@code failure} when it could not be measured.
 */
record ScenarioResult(Scenario scenario, int clients, int warmUpSeconds, boolean warmUpSettled,
    List<PhaseResult> runs, ErrorTally errors, List<String> notes, String failure) {

  static ScenarioResult failed(Scenario scenario, int clients, ErrorTally errors, List<String> notes,
      String failure) {
    return new ScenarioResult(scenario, clients, 0, false, List.of(), errors, notes, failure);
  }

  /** A row that was not attempted, e.g. a peer whose server could not be started; the reason shows in the table. */
  static ScenarioResult skipped(Scenario scenario, int clients, String reason) {
    return new ScenarioResult(scenario, clients, 0, false, List.of(), new ErrorTally(), List.of(), SKIPPED + reason);
  }

  static final String SKIPPED = "skipped: ";

  boolean skipped() {
    return failure != null && failure.startsWith(SKIPPED);
  }

  boolean measured() {
    return failure == null && !runs.isEmpty();
  }

  double medianRate() {
    return median(PhaseResult::itemsPerSecond);
  }

  double medianRequestRate() {
    return median(PhaseResult::requestsPerSecond);
  }

  double medianP50Millis() {
    return median(PhaseResult::p50Millis);
  }

  double medianP99Millis() {
    return median(PhaseResult::p99Millis);
  }

  /** Median share of the CPU other processes used during the runs; -1 when unknown. */
  double medianForeignCpu() {
    return median(PhaseResult::foreignCpu);
  }

  /** Median CPU seconds per million items the named process tree used; -1 when a run did not measure it. */
  double medianCpuPerMillion(String process) {
    double[] values = runs.stream().mapToDouble(run -> run.cpuSecondsPerMillion(process)).toArray();
    if (values.length == 0 || Arrays.stream(values).anyMatch(v -> v < 0)) {
      return -1;
    }
    return median(values);
  }

  private double median(ToDoubleFunction<PhaseResult> figure) {
    return median(runs.stream().mapToDouble(figure).toArray());
  }

  /** The middle value; the mean of the two middle ones for an even count. */
  static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
