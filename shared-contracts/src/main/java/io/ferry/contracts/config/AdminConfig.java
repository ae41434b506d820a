package io.ferry.contracts.config;

/** admin-service configuration. Default HTTP port 8081. */
public record AdminConfig(NodeConfig node, StorageConfig storage, AuthConfig auth) {

  public static final int DEFAULT_PORT = 8081;

  public static AdminConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static AdminConfig from(ConfigReader r, NodeConfig node) {
    return new AdminConfig(node, StorageConfig.from(r), AuthConfig.from(r));
  }
}
