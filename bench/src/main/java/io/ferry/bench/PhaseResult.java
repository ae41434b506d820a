package io.ferry.bench;

/**
 * What one timed phase (warm-up or measured run) of one scenario produced. {@code idleRounds}: rounds that
 * finished no item (an empty pull). {@code foreignCpu}: share of the machine's CPU used by processes other
 * than the bench and its JVMs meanwhile (-1: unknown).
 */
record PhaseResult(long items, long rounds, long idleRounds, long requests, double seconds, LatencyHistogram latency,
    ErrorTally errors, double foreignCpu) {

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
