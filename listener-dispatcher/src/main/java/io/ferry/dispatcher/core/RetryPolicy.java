package io.ferry.dispatcher.core;

import io.ferry.dispatcher.config.DispatcherConfig;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a failed webhook delivery waits before its next attempt: exponential backoff from
 * {@code initialMs}, doubled per attempt, capped at {@code maxMs}, with ±{@code jitter} spread so that a
 * receiver that failed many messages at once is not hit by all of them again at the same instant.
 */
public final class RetryPolicy {

  static final double STANDARD_JITTER = 0.2;

  private final long initialMs;
  private final long maxMs;
  private final double jitter;
  private final DoubleSupplier random;

  /**
   * @param random values in [0, 1), so tests can pin the jitter
   */
  public RetryPolicy(long initialMs, long maxMs, double jitter, DoubleSupplier random) {
    if (initialMs < 1 || maxMs < initialMs || jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("invalid retry policy: initial " + initialMs + " ms, max " + maxMs
          + " ms, jitter " + jitter);
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.jitter = jitter;
    this.random = random;
  }

  /** The configured schedule ({@code dispatcher.retry-initial-ms}, {@code dispatcher.retry-max-ms}), ±20 %. */
  public static RetryPolicy from(DispatcherConfig config) {
    return new RetryPolicy(config.retryInitialMs(), config.retryMaxMs(), STANDARD_JITTER,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** 5 s × 2^(attempt−1), capped at 300 s, ±20 %. */
  public static RetryPolicy standard() {
    return new RetryPolicy(5_000, 300_000, STANDARD_JITTER, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Milliseconds to wait after the failed attempt number {@code attempt} (1 for the first delivery). */
  public long delayMs(int attempt) {
    int exponent = Math.max(0, attempt - 1);
    // Doubling past the cap would overflow long before the attempt count gets large.
    double nominal = exponent >= 62 ? maxMs : Math.min(maxMs, initialMs * Math.pow(2, exponent));
    double factor = 1 - jitter + 2 * jitter * random.getAsDouble();
    return Math.max(1, Math.round(nominal * factor));
  }

  /** The cap, which also bounds an honoured {@code Retry-After}. */
  public long maxMs() {
    return maxMs;
  }
}
