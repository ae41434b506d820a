package io.ferry.bench;

import java.util.Map;

/**
 * What one timed phase (warm-up or measured run) of one scenario produced. {@code idleRounds}: rounds that
 * finished no item (an empty pull). {@code foreignCpu}: share of the machine's CPU used by processes other
 * than the bench and its JVMs meanwhile (-1: unknown). {@code cpuSeconds}: CPU time each watched process tree
 * (Ferry, PostgreSQL) used meanwhile, by name.
 */
record PhaseResult(long items, long rounds, long idleRounds, long requests, double seconds, LatencyHistogram latency,
    ErrorTally errors, double foreignCpu, Map<String, Double> cpuSeconds) {

  PhaseResult(long items, long rounds, long idleRounds, long requests, double seconds, LatencyHistogram latency,
      ErrorTally errors, double foreignCpu) {
    this(items, rounds, idleRounds, requests, seconds, latency, errors, foreignCpu, Map.of());
  }

  /** CPU seconds the named tree spent per million items in this phase; -1 when it was not measured. */
  double cpuSecondsPerMillion(String process) {
    Double spent = cpuSeconds.get(process);
    return spent == null || items == 0 ? -1 : spent * 1e6 / items;
  }

  /** CPU microseconds the named tree spent per HTTP request in this phase; -1 when it was not measured. */
  double cpuMicrosPerRequest(String process) {
    Double spent = cpuSeconds.get(process);
    return spent == null || requests == 0 ? -1 : spent * 1e6 / requests;
  }

  double itemsPerSecond() {
    return items / seconds;
  }

  double requestsPerSecond() {
    return requests / seconds;
  }

  double p50Millis() {
    return latency.percentile(0.50) / 1000.0;
  }

  double p99Millis() {
    return latency.percentile(0.99) / 1000.0;
  }
}
