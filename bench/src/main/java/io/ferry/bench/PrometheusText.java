package io.ferry.bench;

/** Just enough of the Prometheus text format to add up one metric's series. */
final class PrometheusText {

  private PrometheusText() {
  }

  /** Sum of every sample of {@code metric} whose labels contain {@code label} (e.g. {@code area="heap"}). */
  static long sum(String exposition, String metric, String label) {
    double total = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(metric + "{") || !line.contains(label)) {
        continue;
      }
      String value = line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+")[0];
      total += Double.parseDouble(value);
      found = true;
    }
    if (!found) {
      throw new IllegalStateException("no " + metric + "{" + label + "} in /metrics");
    }
    return (long) total;
  }
}
