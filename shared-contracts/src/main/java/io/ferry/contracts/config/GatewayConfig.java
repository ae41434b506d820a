package io.ferry.contracts.config;

/** ws-gateway configuration. Default HTTP port 8084. */
public record GatewayConfig(NodeConfig node) {

  public static final int DEFAULT_PORT = 8084;

  public static GatewayConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static GatewayConfig from(ConfigReader r, NodeConfig node) {
    return new GatewayConfig(node);
  }
}
