package io.ferry.contracts.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures a client causes on its own connection (a malformed chunked body, a hang-up mid-upload, a timed-out
 * or refused connection). They say nothing about the server's health, so anyone able to trigger them must
 * not be able to fill the log with ERROR stack traces: one DEBUG line each, and a counter
 * ({@code ferry_http_client_failures_total{kind=...}}) for the operator.
 */
final class ClientFailures {

  private static final Logger LOG = LoggerFactory.getLogger(ClientFailures.class);

  private ClientFailures() {
  }

  /** Whether {@code failure} is what a client's bytes or its hang-up cause, rather than a server fault. */
  static boolean isClientCaused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpClosedException || t instanceof ClosedChannelException
          || t instanceof DecoderException || t instanceof TooLongFrameException
          || t instanceof PrematureChannelClosureException || t instanceof CorruptedWebSocketFrameException
          || t instanceof java.net.SocketException || isResetOrBrokenPipe(t) || thrownByNettyDecoder(t)
          || t instanceof VertxException && "Connection was closed".equals(t.getMessage())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  // Netty's HTTP decoder reports a malformed chunk size as the bare NumberFormatException of its parser.
  private static boolean thrownByNettyDecoder(Throwable t) {
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(3, frames.length); i++) {
      if (frames[i].getClassName().startsWith("io.netty.handler.codec.")) {
        return true;
      }
    }
    return false;
  }

  // Netty's native transports report a peer's reset as a plain IOException ("...: Connection reset by peer").
  private static boolean isResetOrBrokenPipe(Throwable t) {
    String message = t.getMessage();
    return t instanceof IOException && message != null
        && (message.contains("Connection reset") || message.contains("Broken pipe"));
  }

  /** Logs a client-caused failure as one line and counts it under {@code kind}. */
  static void record(String kind, Object client, Throwable failure) {
    count(kind);
    if (LOG.isDebugEnabled()) {
      LOG.debug("client {}: {} ({})", client, kind, failure == null ? "" : failure.toString());
    }
  }

  /**
   * The HTTP server's exception handler. What reaches it is a connection's own failure (bytes that are not
   * HTTP, a reset, a decoder's refusal), never a route's: a client fault, unless the JVM itself is failing.
   */
  static void onConnectionException(Throwable failure) {
    if (failure instanceof Error) {
      LOG.error("HTTP connection failed", failure);
    } else {
      record("connection-error", "?", failure);
    }
  }

  static void count(String kind) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Counter.builder("ferry.http.client.failures").tag("kind", kind)
          .description("requests and connections failed or refused because of the client")
          .register(registry).increment();
    }
  }
}
