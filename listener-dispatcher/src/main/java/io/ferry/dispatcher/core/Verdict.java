package io.ferry.dispatcher.core;

/**
 * What becomes of a leased message after an attempt: acked, retried after {@code delayMs}, missed (attempts
 * exhausted), released unattempted, or released because the receiver is gone (410).
 */
record Verdict(Kind kind, long delayMs) {

  enum Kind { ACK, RETRY, MISS, RELEASE, GONE }

  static final Verdict ACK = new Verdict(Kind.ACK, 0);
  static final Verdict MISS = new Verdict(Kind.MISS, 0);
  static final Verdict RELEASE = new Verdict(Kind.RELEASE, 0);
  static final Verdict GONE = new Verdict(Kind.GONE, 0);

  /**
   * @param attempt the attempt that produced {@code outcome} (1 for the first delivery)
   */
  static Verdict of(DeliveryOutcome outcome, int attempt, int maxAttempts, RetryPolicy retryPolicy) {
    if (outcome.delivered()) {
      return ACK;
    }
    if (outcome.gone()) {
      return GONE;
    }
    if (attempt >= maxAttempts) {
      return MISS;
    }
    long delayMs = outcome.retryAfterMs() >= 0
        ? Math.min(outcome.retryAfterMs(), retryPolicy.maxMs())
        : retryPolicy.delayMs(attempt);
    return new Verdict(Kind.RETRY, delayMs);
  }
}
