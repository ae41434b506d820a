package io.ferry.bench;

import java.util.Locale;

/**
 * A figure from TARGETS.md to hold a result against: a minimum rate, optionally a p99 bound, or a
 * reference (the machine ceiling measured with wrk) that is compared but is not a goal.
 */
record Target(String text, double minRate, double maxP99Millis, boolean reference) {

  static Target atLeast(double rate, String text) {
    return new Target(text, rate, 0, false);
  }

  static Target atLeastWithP99(double rate, double p99Millis, String text) {
    return new Target(text, rate, p99Millis, false);
  }

  static Target reference(double rate, String text) {
    return new Target(text, rate, 0, true);
  }

  /** E.g. {@code 0.35×} or {@code 1.20×, p99 over}. */
  String ratio(double rate, double p99Millis) {
    if (minRate <= 0) {
      return "—";
    }
    String ratio = String.format(Locale.ROOT, "%.2f×", rate / minRate);
    if (maxP99Millis > 0) {
      ratio += p99Millis <= maxP99Millis ? ", p99 ok" : ", p99 over";
    }
    return ratio;
  }
}
