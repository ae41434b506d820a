package io.ferry.admin.core;

/**
 * Delivery settings of an http_pull consumer, already validated against their ranges. {@code maxWaitTimeMs}
 * and {@code maxConcurrency} ({@code null}: not set) are Cloudflare's push-delivery settings: kept and echoed
 * so that a client reads back what it wrote, but pulls have no batch window and no invocations to bound.
 */
public record ConsumerSettings(int batchSize, int maxRetries, int retryDelaySeconds, int visibilityTimeoutMs,
    Integer maxWaitTimeMs, Integer maxConcurrency) {

  public static final ConsumerSettings DEFAULTS = new ConsumerSettings(5, 3, 0, 30_000);

  public ConsumerSettings(int batchSize, int maxRetries, int retryDelaySeconds, int visibilityTimeoutMs) {
    this(batchSize, maxRetries, retryDelaySeconds, visibilityTimeoutMs, null, null);
  }
}
