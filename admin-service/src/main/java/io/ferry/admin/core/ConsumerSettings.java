package io.ferry.admin.core;

/** Delivery settings of an http_pull consumer, already validated against their ranges. */
public record ConsumerSettings(int batchSize, int maxRetries, int retryDelaySeconds, int visibilityTimeoutMs) {

  public static final ConsumerSettings DEFAULTS = new ConsumerSettings(5, 3, 0, 30_000);
}
