package io.ferry.messaging.config;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.config.StorageConfig;

/**
 * messaging-service configuration. Default HTTP port 8082. {@code leaseSweepMs}: how often expired leases
 * are returned to the ready set.
 */
public record MessagingConfig(NodeConfig node, StorageConfig storage, int leaseSweepMs) {

  public static final int DEFAULT_PORT = 8082;

  public static MessagingConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static MessagingConfig from(ConfigReader r, NodeConfig node) {
    return new MessagingConfig(node, StorageConfig.from(r),
        r.integer("messaging.lease-sweep-ms", 250, 10, 60_000));
  }
}
