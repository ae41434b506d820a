package io.ferry.gateway.core;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Vertx;

/**
 * The two clocks of an open socket: a ping every interval, where a socket that has not answered the
 * previous ping by the next one is dead or stuck and is closed (so half-open connections do not hold a
 * subscription forever), and the credential's expiry, at which the socket is closed with 1008. Used on the
 * socket's context only.
 */
final class SocketClocks {

  /** How a clock closes the socket. */
  interface Closer {
    void close(WebSocketCloseStatus status, String reason);
  }

  private final Vertx vertx;
  private long pingTimer = -1;
  private long expiryTimer = -1;
  private boolean awaitingPong;

  SocketClocks(Vertx vertx) {
    this.vertx = vertx;
  }

  void start(FrameSink sink, long pingIntervalMs, long expiresAtMs, Closer closer) {
    sink.onPong(v -> awaitingPong = false);
    pingTimer = vertx.setPeriodic(pingIntervalMs, id -> {
      if (awaitingPong) {
        // Going away, as Jetty closes on an idle timeout.
        closer.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "no pong within " + pingIntervalMs + " ms");
        return;
      }
      awaitingPong = true;
      sink.ping();
    });
    if (expiresAtMs > 0) {
      long delay = Math.max(1, expiresAtMs - System.currentTimeMillis());
      expiryTimer = vertx.setTimer(delay,
          id -> closer.close(WebSocketCloseStatus.POLICY_VIOLATION, "token expired"));
    }
  }

  void stop() {
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
      pingTimer = -1;
    }
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
  }
}
