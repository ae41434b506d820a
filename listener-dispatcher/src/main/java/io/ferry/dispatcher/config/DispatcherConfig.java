package io.ferry.dispatcher.config;

import io.ferry.contracts.config.ConfigException;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.config.WebhookNetworkConfig;
import io.vertx.core.VertxOptions;

/**
 * listener-dispatcher configuration. Default HTTP port 8083.
 *
 * @param requestTimeoutMs how long a webhook receiver has to answer 2xx
 * @param maxInFlightPerListener requests in flight to one listener at once
 * @param deliveryLanes over how many event loops the webhook requests are spread (each with its own connections)
 * @param leaseWaitMs how long one lease request waits for messages before asking again
 * @param maxAttempts deliveries of one message before it is missed ({@code dispatcher.max-attempts})
 * @param retryInitialMs delay before the first retry; each further retry doubles it, with ±20 % jitter
 * @param retryMaxMs cap of the retry delay (also of an honoured {@code Retry-After})
 * @param livenessIntervalMs how often {@code liveness_url} is checked
 * @param livenessTimeoutMs how long a liveness check may take
 * @param livenessFailureThreshold consecutive failed checks that make a listener inactive
 * @param responseBodyCapBytes how much of a receiver's response body is read at most
 * @param reconcileIntervalMs how often the served listeners are compared with admin's list, so that a listener
 *     event the dispatcher missed (or a listener it could not fetch) is caught up with
 * @param peerHeartbeatMs how often the instance tells the other dispatcher instances it is there; one missing
 *     for {@link #PEER_TIMEOUT_HEARTBEATS} heartbeats is taken for dead, and its liveness checks are taken over
 * @param webhooks which addresses webhooks may reach
 */
public record DispatcherConfig(NodeConfig node, int requestTimeoutMs, int maxInFlightPerListener,
    int deliveryLanes, int leaseWaitMs, int maxAttempts, long retryInitialMs, long retryMaxMs, long livenessIntervalMs,
    int livenessTimeoutMs, int livenessFailureThreshold, int responseBodyCapBytes, long reconcileIntervalMs,
    long peerHeartbeatMs, WebhookNetworkConfig webhooks) {

  public static final int DEFAULT_PORT = 8083;
  /** Why 64: docs/webhooks.md, "In-flight cap". */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_LISTENER = 64;
  /** Why 3: one or two heartbeats lost on a busy bus should not move the liveness checks around. */
  public static final int PEER_TIMEOUT_HEARTBEATS = 3;

  public static DispatcherConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static DispatcherConfig from(ConfigReader r, NodeConfig node) {
    long initial = r.longValue("dispatcher.retry-initial-ms", 5_000, 10, 3_600_000);
    long max = r.longValue("dispatcher.retry-max-ms", 300_000, 10, 86_400_000);
    if (max < initial) {
      throw new ConfigException("invalid configuration: dispatcher.retry-max-ms (FERRY_DISPATCHER_RETRY_MAX_MS) "
          + "must be at least dispatcher.retry-initial-ms");
    }
    return new DispatcherConfig(node,
        r.integer("dispatcher.request-timeout-ms", 15_000, 100, 300_000),
        r.integer("dispatcher.max-in-flight-per-listener", DEFAULT_MAX_IN_FLIGHT_PER_LISTENER, 1, 1_000),
        r.integer("dispatcher.delivery-lanes", VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, 1, 256),
        r.integer("dispatcher.lease-wait-ms", 5_000, 0, 20_000),
        r.integer("dispatcher.max-attempts", 10, 1, 100),
        initial, max,
        r.longValue("dispatcher.liveness-interval-ms", 30_000, 100, 86_400_000),
        r.integer("dispatcher.liveness-timeout-ms", 5_000, 100, 60_000),
        r.integer("dispatcher.liveness-failure-threshold", 3, 1, 100),
        r.integer("dispatcher.response-body-cap-bytes", 64 * 1024, 0, 16 * 1024 * 1024),
        r.longValue("dispatcher.reconcile-interval-ms", 30_000, 100, 86_400_000),
        r.longValue("dispatcher.peer-heartbeat-ms", 1_000, 50, 60_000),
        WebhookNetworkConfig.from(r));
  }

  /** How long a silent peer instance is still counted as there. */
  public long peerTimeoutMs() {
    return PEER_TIMEOUT_HEARTBEATS * peerHeartbeatMs;
  }
}
