package io.ferry.contracts.runtime;

import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.TCPMetrics;

/**
 * The connection-level part of an HTTP server's or client's metrics, left to vertx-micrometer-metrics'
 * own meters (connections, bytes, errors) while Ferry replaces the per-request ones.
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
    vertx.disconnected(socketMetric, remoteAddress);
  }

  @Override
  public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    vertx.bytesRead(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    vertx.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
    vertx.exceptionOccurred(socketMetric, remoteAddress, t);
  }

  @Override
  public void close() {
    vertx.close();
  }
}
