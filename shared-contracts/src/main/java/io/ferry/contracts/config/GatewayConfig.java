package io.ferry.contracts.config;

/**
 * ws-gateway configuration. Default HTTP port 8084.
 *
 * @param maxQueuedBytes bytes a socket may have waiting to be written before it is closed with 1013
 * @param maxHeldFrames live frames held for a socket while its replay runs, before it is closed with 1013
 * @param historyPageSize messages per history read during replay
 * @param pingIntervalMs how often the gateway pings each socket; one missing pong interval closes it
 * @param longPollMaxTimeoutMs the largest {@code timeout_ms} a long-poll request may ask for
 */
public record GatewayConfig(NodeConfig node, int maxQueuedBytes, int maxHeldFrames, int historyPageSize,
    int pingIntervalMs, int longPollMaxTimeoutMs) {

  public static final int DEFAULT_PORT = 8084;

  public static GatewayConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static GatewayConfig from(ConfigReader r, NodeConfig node) {
    return new GatewayConfig(node,
        r.integer("gateway.max-queued-bytes", 1024 * 1024, 1024, 256 * 1024 * 1024),
        r.integer("gateway.max-held-frames", 10_000, 10, 10_000_000),
        r.integer("gateway.history-page-size", 100, 1, 1000),
        r.integer("gateway.ping-interval-ms", 30_000, 100, 3_600_000),
        r.integer("gateway.longpoll-max-timeout-ms", 60_000, 100, 600_000));
  }
}
