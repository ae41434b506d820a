package io.ferry.gateway.config;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;

/**
 * ws-gateway configuration. Default HTTP port 8084.
 *
 * @param maxQueuedBytes bytes a socket may have waiting to be written: replay waits for the socket to drain
 *     below this, and a live subscriber with more waiting is closed with 1013
 * @param maxHeldFrames live frames held for a socket while its replay runs, before it is closed with 1013
 * @param maxHeldBytes everything held in memory for one socket (live frames held while its replay runs, the
 *     unsent rest of a replay page, bytes waiting to be written); more closes it with 1013. Also what one
 *     long poll holds while it reads history
 * @param maxTotalHeldBytes the same, summed over every socket and long poll of the gateway; passing it
 *     closes the socket holding the most with 1013
 * @param historyPageSize messages per history read during replay
 * @param pingIntervalMs how often the gateway pings each socket; one missing pong interval closes it
 * @param longPollMaxTimeoutMs the largest {@code timeout_ms} a long-poll request may ask for
 */
public record GatewayConfig(NodeConfig node, int maxQueuedBytes, int maxHeldFrames, long maxHeldBytes,
    long maxTotalHeldBytes, int historyPageSize, int pingIntervalMs, int longPollMaxTimeoutMs) {

  public static final int DEFAULT_PORT = 8084;
  /** Share of the maximum heap the gateway may hold for its sockets unless configured. */
  public static final int DEFAULT_TOTAL_HELD_PERCENT_OF_HEAP = 25;

  public static GatewayConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static GatewayConfig from(ConfigReader r, NodeConfig node) {
    long heapShare = Runtime.getRuntime().maxMemory() / 100 * DEFAULT_TOTAL_HELD_PERCENT_OF_HEAP;
    return new GatewayConfig(node,
        r.integer("gateway.max-queued-bytes", 1024 * 1024, 1024, 256 * 1024 * 1024),
        r.integer("gateway.max-held-frames", 10_000, 10, 10_000_000),
        r.longValue("gateway.max-held-bytes", 32L * 1024 * 1024, 64 * 1024, 1L << 40),
        r.longValue("gateway.max-total-held-bytes", heapShare, 1024 * 1024, 1L << 50),
        r.integer("gateway.history-page-size", 100, 1, 1000),
        r.integer("gateway.ping-interval-ms", 30_000, 100, 3_600_000),
        r.integer("gateway.longpoll-max-timeout-ms", 60_000, 100, 600_000));
  }
}
