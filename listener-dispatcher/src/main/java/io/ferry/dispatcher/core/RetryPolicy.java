package io.ferry.dispatcher.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a failed webhook delivery waits before its next attempt: exponential backoff from
 * {@code baseSeconds}, doubled per attempt, capped at {@code maxSeconds}, with ±{@code jitter} spread so that
 * a receiver that failed many messages at once is not hit by all of them again at the same instant.
 */
public final class RetryPolicy {

  private final int baseSeconds;
  private final int maxSeconds;
  private final double jitter;
  private final DoubleSupplier random;

  /**
   * @param random values in [0, 1), so tests can pin the jitter
   */
  public RetryPolicy(int baseSeconds, int maxSeconds, double jitter, DoubleSupplier random) {
    if (baseSeconds < 1 || maxSeconds < baseSeconds || jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("invalid retry policy: base " + baseSeconds + " s, max " + maxSeconds
          + " s, jitter " + jitter);
    }
    this.baseSeconds = baseSeconds;
    this.maxSeconds = maxSeconds;
    this.jitter = jitter;
    this.random = random;
  }

  /** 5 s × 2^(attempt−1), capped at 300 s, ±20 %. */
  public static RetryPolicy standard() {
    return new RetryPolicy(5, 300, 0.2, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Seconds to wait after the failed attempt number {@code attempt} (1 for the first delivery). */
  public int delaySeconds(int attempt) {
    int exponent = Math.max(0, attempt - 1);
    // Doubling past the cap would overflow long before the attempt count gets large.
    double nominal = exponent >= 31 ? maxSeconds : Math.min(maxSeconds, baseSeconds * Math.pow(2, exponent));
    double factor = 1 - jitter + 2 * jitter * random.getAsDouble();
    return (int) Math.max(1, Math.round(nominal * factor));
  }
}
