package io.ferry.admin.config;

import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.config.StorageConfig;
import io.ferry.contracts.config.WebhookNetworkConfig;

/**
 * admin-service configuration. Default HTTP port 8081.
 *
 * @param attemptsPerListener how many webhook attempts each listener's attempt log keeps
 *     ({@code admin.attempts-per-listener})
 */
public record AdminConfig(NodeConfig node, StorageConfig storage, AuthConfig auth,
    WebhookNetworkConfig webhooks, int attemptsPerListener) {

  /** With the default webhook network policy (nothing private allowed). */
  public AdminConfig(NodeConfig node, StorageConfig storage, AuthConfig auth) {
    this(node, storage, auth, new WebhookNetworkConfig(java.util.List.of()), DEFAULT_ATTEMPTS_PER_LISTENER);
  }

  public static final int DEFAULT_PORT = 8081;
  public static final int DEFAULT_ATTEMPTS_PER_LISTENER = 100;

  public static AdminConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static AdminConfig from(ConfigReader r, NodeConfig node) {
    return new AdminConfig(node, StorageConfig.from(r), AuthConfig.from(r), WebhookNetworkConfig.from(r),
        r.integer("admin.attempts-per-listener", DEFAULT_ATTEMPTS_PER_LISTENER, 1, 10_000));
  }
}
