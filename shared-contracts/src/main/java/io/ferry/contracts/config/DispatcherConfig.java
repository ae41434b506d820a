package io.ferry.contracts.config;

/**
 * listener-dispatcher configuration. Default HTTP port 8083.
 *
 * @param requestTimeoutMs how long a webhook receiver has to answer 2xx
 * @param maxInFlightPerListener requests in flight to one listener at once
 * @param leaseWaitMs how long one lease request waits for messages before asking again
 */
public record DispatcherConfig(NodeConfig node, int requestTimeoutMs, int maxInFlightPerListener,
    int leaseWaitMs) {

  public static final int DEFAULT_PORT = 8083;

  public static DispatcherConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static DispatcherConfig from(ConfigReader r, NodeConfig node) {
    return new DispatcherConfig(node,
        r.integer("dispatcher.request-timeout-ms", 15_000, 100, 300_000),
        r.integer("dispatcher.max-in-flight-per-listener", 16, 1, 1_000),
        r.integer("dispatcher.lease-wait-ms", 5_000, 0, 20_000));
  }
}
