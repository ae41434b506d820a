package io.ferry.contracts.runtime;

import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.TCPMetrics;

/**
 * The connection-level part of an HTTP server's or client's metrics, left to vertx-micrometer-metrics'
 * own meters (connections, bytes, errors) while Ferry replaces the per-request ones.
 *
 * <p>A connection may have no socket metric: Vert.x's net server creates its metrics only once the bind has
 * completed, so a client that connects in between (a readiness probe polling the port at start) is accepted
 * without one, while its HTTP server's metrics exist by the time it is answered. vertx-micrometer-metrics then
 * throws from the response's write, which leaves the request open for good (and a graceful stop waiting on
 * it); such a connection is counted nowhere instead.
 */
abstract class ConnectionMetrics implements TCPMetrics<Object> {

  private final TCPMetrics<Object> vertx;

  ConnectionMetrics(TCPMetrics<Object> vertx) {
    this.vertx = vertx;
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    return vertx.connected(remoteAddress, remoteName);
  }

  @Override
  public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
    if (socketMetric != null) {
      vertx.disconnected(socketMetric, remoteAddress);
    }
  }

  @Override
  public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    if (socketMetric != null) {
      vertx.bytesRead(socketMetric, remoteAddress, numberOfBytes);
    }
  }

  @Override
  public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    if (socketMetric != null) {
      vertx.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
    }
  }

  @Override
  public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
    if (socketMetric != null) {
      vertx.exceptionOccurred(socketMetric, remoteAddress, t);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
