package io.ferry.contracts.config;

import java.util.List;

/**
 * How a service joins the Hazelcast cluster. {@code TCP}: the listed members (host or host:port), the
 * default, on loopback. {@code KUBERNETES}: DNS lookup of a headless service. Multicast is never used.
 * Test clusters set a unique {@code name} so that they never meet each other.
 */
public record ClusterConfig(String name, Join join, String host, int port, List<String> members,
    String kubernetesServiceDns, int busPort) {

  /** Discovery mechanism. */
  public enum Join { TCP, KUBERNETES }

  public static ClusterConfig from(ConfigReader r) {
    Join join = r.enumValue("cluster.join", Join.class, Join.TCP);
    String dns = r.string("cluster.kubernetes-service-dns", "");
    if (join == Join.KUBERNETES && dns.isBlank()) {
      throw new ConfigException("invalid configuration: cluster.kubernetes-service-dns "
          + "(FERRY_CLUSTER_KUBERNETES_SERVICE_DNS) is required when cluster.join is kubernetes");
    }
    return new ClusterConfig(
        r.string("cluster.name", "ferry"),
        join,
        r.string("cluster.host", "127.0.0.1"),
        r.integer("cluster.port", 5701, 1, 65_535),
        r.list("cluster.members", List.of("127.0.0.1")),
        dns,
        r.integer("cluster.bus-port", 0, 0, 65_535));
  }
}
