package io.ferry.bench;

/**
 * Log-linear latency histogram in microseconds, in the spirit of HdrHistogram: exact below 64 µs, then 32
 * sub-buckets per power of two (about 3 % resolution). Not thread-safe: one per client, merged afterwards.
 */
final class LatencyHistogram {

  private static final int EXACT = 64;
  private static final int SUB_BITS = 5;
  private static final int SUB = 1 << SUB_BITS;
  private static final int FIRST_EXPONENT = 6;
  private static final int BUCKETS = EXACT + (63 - FIRST_EXPONENT) * SUB;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max;

  void recordNanos(long nanos) {
    record(Math.max(0, nanos / 1_000));
  }

  void record(long micros) {
    counts[index(micros)]++;
    total++;
    max = Math.max(max, micros);
  }

  void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  /** A text form for another JVM: {@code total max index:count ...} over the non-empty buckets. */
  String encode() {
    StringBuilder text = new StringBuilder().append(total).append(' ').append(max);
    for (int i = 0; i < BUCKETS; i++) {
      if (counts[i] != 0) {
        text.append(' ').append(i).append(':').append(counts[i]);
      }
    }
    return text.toString();
  }

  static LatencyHistogram decode(String text) {
    String[] parts = text.trim().split(" ");
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.total = Long.parseLong(parts[0]);
    histogram.max = Long.parseLong(parts[1]);
    for (int p = 2; p < parts.length; p++) {
      int colon = parts[p].indexOf(':');
      histogram.counts[Integer.parseInt(parts[p].substring(0, colon))] = Long.parseLong(parts[p].substring(colon + 1));
    }
    return histogram;
  }

  long count() {
    return total;
  }

  /** The value at quantile {@code q} (0..1) in microseconds: the middle of its bucket; 0 when empty. */
  long percentile(double q) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, middle(i));
      }
    }
    return max;
  }

  static int index(long micros) {
    if (micros < EXACT) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros);
    int sub = (int) (micros >>> (exponent - SUB_BITS)) - SUB;
    return EXACT + (exponent - FIRST_EXPONENT) * SUB + sub;
  }

  private static long middle(int index) {
    if (index < EXACT) {
      return index;
    }
    int exponent = (index - EXACT) / SUB + FIRST_EXPONENT;
    int sub = (index - EXACT) % SUB;
    long width = 1L << (exponent - SUB_BITS);
    long lower = (long) (SUB + sub) << (exponent - SUB_BITS);
    return lower + width / 2;
  }
}
