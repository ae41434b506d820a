package io.ferry.contracts.config;

import java.util.List;

/**
 * How a service joins the Hazelcast cluster. {@code TCP}: the listed members (host or host:port), the
 * default, on loopback. {@code KUBERNETES}: DNS lookup of a headless service. Multicast is never used.
 * Test clusters set a unique {@code name} so that they never meet each other.
 *
 * <p>Hazelcast open source cannot authenticate members, so the event bus carries the trust: every bus
 * connection is TLS with client authentication, each member presenting {@code tlsCertFile} /
 * {@code tlsKeyFile} and trusting only peers whose certificate chains to {@code tlsCaFile}. A clustered
 * process refuses to start without them unless {@code insecureBus} is set.
 */
public record ClusterConfig(String name, Join join, String host, int port, List<String> members,
    String kubernetesServiceDns, int busPort, String tlsCertFile, String tlsKeyFile, String tlsCaFile,
    boolean insecureBus) {

  static final String CERT_KEY = "cluster.tls.cert-file";
  static final String KEY_KEY = "cluster.tls.key-file";
  static final String CA_KEY = "cluster.tls.ca-file";
  static final String INSECURE_KEY = "cluster.insecure-bus";

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
        r.integer("cluster.bus-port", 0, 0, 65_535),
        r.string(CERT_KEY, null),
        r.string(KEY_KEY, null),
        r.string(CA_KEY, null),
        r.bool(INSECURE_KEY, false));
  }

  /** Whether the event bus is to run over mutually authenticated TLS (all three files are configured). */
  public boolean busTls() {
    return tlsCertFile != null && tlsKeyFile != null && tlsCaFile != null;
  }

  /**
   * Fails, naming the keys, when a clustered process has neither the bus certificates nor the explicit
   * {@code cluster.insecure-bus} opt-out: a member without them would hand every credential and message
   * to anyone who can reach the cluster port.
   */
  public void requireBusSecurity() {
    for (String[] file : new String[][] {{CERT_KEY, tlsCertFile}, {KEY_KEY, tlsKeyFile}, {CA_KEY, tlsCaFile}}) {
      if (file[1] != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file[1]))) {
        throw new ConfigException("invalid configuration: " + file[0] + " (" + ConfigReader.envName(file[0])
            + ") cannot be read: " + file[1]);
      }
    }
    if (busTls() || insecureBus && tlsCertFile == null && tlsKeyFile == null && tlsCaFile == null) {
      return;
    }
    throw new ConfigException("invalid configuration: a clustered process needs event-bus TLS: set "
        + CERT_KEY + ", " + KEY_KEY + " and " + CA_KEY + " (" + ConfigReader.envName(CERT_KEY) + ", "
        + ConfigReader.envName(KEY_KEY) + ", " + ConfigReader.envName(CA_KEY)
        + "), or " + INSECURE_KEY + "=true (" + ConfigReader.envName(INSECURE_KEY)
        + ") to run without it on a network only Ferry can reach");
  }
}
