package io.ferry.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

// The bench's own JVMs (load generator, WebSocket subscribers, ceiling server) run on the transport Ferry runs
// on by default, Netty's epoll where it loads: on two shared cores a client on NIO would spend CPU Ferry then
// lacks, and a ceiling server on NIO would be a lower bar than the one Ferry's figures are held against.
final class BenchVertx {

  private BenchVertx() {
  }

  static Vertx create() {
    return create(new VertxOptions());
  }

  static Vertx create(VertxOptions options) {
    return Vertx.vertx(options.setPreferNativeTransport(true));
  }

  /** How the given Vert.x moves bytes, for the report. */
  static String transport(Vertx vertx) {
    return vertx.isNativeTransportEnabled() ? "epoll"
        : "NIO (epoll unavailable: " + vertx.unavailableNativeTransportCause() + ")";
  }
}
