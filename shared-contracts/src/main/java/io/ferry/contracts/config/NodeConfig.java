package io.ferry.contracts.config;

/** What every service process needs regardless of its role: HTTP, cluster membership, logging. */
public record NodeConfig(HttpConfig http, ClusterConfig cluster, LogConfig log) {

  public static NodeConfig from(ConfigReader r, int defaultPort) {
    return new NodeConfig(HttpConfig.from(r, defaultPort), ClusterConfig.from(r), LogConfig.from(r));
  }
}
