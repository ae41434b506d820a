package io.ferry.contracts.config;

/** Where a process serves HTTP, on how many event loops, and the largest request body it reads. */
public record HttpConfig(String host, int port, int instances, int maxBodyBytes) {

  public static HttpConfig from(ConfigReader r, int defaultPort) {
    return new HttpConfig(
        r.string("http.host", "0.0.0.0"),
        r.integer("http.port", defaultPort, 0, 65_535),
        r.integer("http.instances", Runtime.getRuntime().availableProcessors(), 1, 256),
        r.integer("http.max-body-bytes", 1024 * 1024, 1024, 64 * 1024 * 1024));
  }
}
