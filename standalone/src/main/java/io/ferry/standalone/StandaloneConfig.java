package io.ferry.standalone;

import io.ferry.admin.config.AdminConfig;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.gateway.config.GatewayConfig;
import io.ferry.messaging.config.MessagingConfig;

/**
 * The standalone process: every service in one JVM on one port (default 8080), sharing one data directory
 * and one set of keys; the per-service records are read from the same sources.
 */
public record StandaloneConfig(NodeConfig node, AdminConfig admin, MessagingConfig messaging,
    DispatcherConfig dispatcher, GatewayConfig gateway) {

  public static final int DEFAULT_PORT = 8080;

  public static StandaloneConfig from(ConfigReader r) {
    NodeConfig node = NodeConfig.from(r, DEFAULT_PORT);
    return new StandaloneConfig(node, AdminConfig.from(r, node), MessagingConfig.from(r, node),
        DispatcherConfig.from(r, node), GatewayConfig.from(r, node));
  }
}
