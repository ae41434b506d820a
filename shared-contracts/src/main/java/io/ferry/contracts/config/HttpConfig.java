package io.ferry.contracts.config;

/**
 * Where a process serves HTTP, on how many event loops, the largest request body it reads, and how long and
 * how many connections a client may hold (timeouts in milliseconds, 0 turns one off).
 */
public record HttpConfig(String host, int port, int instances, int maxBodyBytes, long idleTimeoutMs,
    long headerTimeoutMs, long bodyTimeoutMs, int maxConnections, int maxConnectionsPerClient) {

  public static HttpConfig from(ConfigReader r, int defaultPort) {
    return new HttpConfig(
        r.string("http.host", "0.0.0.0"),
        r.integer("http.port", defaultPort, 0, 65_535),
        r.integer("http.instances", Runtime.getRuntime().availableProcessors(), 1, 256),
        r.integer("http.max-body-bytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
        r.longValue("http.idle-timeout-ms", 65_000, 0, 3_600_000),
        r.longValue("http.header-timeout-ms", 10_000, 0, 600_000),
        r.longValue("http.body-timeout-ms", 30_000, 0, 3_600_000),
        r.integer("http.max-connections", 10_000, 1, 1_000_000),
        r.integer("http.max-connections-per-client", 1_000, 1, 1_000_000));
  }
}
