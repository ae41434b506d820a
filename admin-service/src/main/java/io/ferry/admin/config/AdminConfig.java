package io.ferry.admin.config;

import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.config.StorageConfig;
import io.ferry.contracts.config.WebhookNetworkConfig;

/** admin-service configuration. Default HTTP port 8081. */
public record AdminConfig(NodeConfig node, StorageConfig storage, AuthConfig auth,
    WebhookNetworkConfig webhooks) {

  /** With the default webhook network policy (nothing private allowed). */
  public AdminConfig(NodeConfig node, StorageConfig storage, AuthConfig auth) {
    this(node, storage, auth, new WebhookNetworkConfig(java.util.List.of()));
  }

  public static final int DEFAULT_PORT = 8081;

  public static AdminConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static AdminConfig from(ConfigReader r, NodeConfig node) {
    return new AdminConfig(node, StorageConfig.from(r), AuthConfig.from(r), WebhookNetworkConfig.from(r));
  }
}
