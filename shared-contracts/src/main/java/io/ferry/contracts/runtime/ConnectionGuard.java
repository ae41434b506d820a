package io.ferry.contracts.runtime;

import io.ferry.contracts.config.HttpConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.micrometer.backends.BackendRegistries;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits HTTP connections, shared by every HTTP server instance of a process: at most
 * {@code http.max-connections} open at once and {@code http.max-connections-per-client} from one address;
 * a connection over either cap is closed at once. Each admitted connection gets the strict request decoder
 * and its deadlines ({@link ConnectionDeadlines}).
 *
 * <p>Readiness must not depend on winning a free slot: a connection over the caps from a loopback address
 * is still admitted into a small reserve of {@value #LOOPBACK_RESERVE}, where only {@code /health/*} is
 * served (anything else is 503) and the connection is closed after one answer.
 */
final class ConnectionGuard {

  static final int LOOPBACK_RESERVE = 16;
  /** File descriptors kept for storage, cluster sockets and jars when the connection cap is fitted under the limit. */
  private static final int MIN_SPARE_FILES = 256;
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final AttributeKey<Boolean> HEALTH_ONLY = AttributeKey.valueOf("ferry.health-only");

  private final HttpConfig config;
  private final int maxConnections;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger reserved = new AtomicInteger();
  private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionGuard(HttpConfig config) {
    this.config = config;
    this.maxConnections = fitToOpenFileLimit(config.maxConnections());
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Gauge.builder("ferry.http.connections", open, AtomicInteger::get)
          .description("open HTTP connections (WebSockets included)").register(registry);
    }
  }

  /** The connection handler of every HTTP server of the process. */
  void admit(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    Channel channel = base.channel();
    InetAddress client = channel.remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
    if (client == null) {
      return;
    }
    int total = open.incrementAndGet();
    int fromClient = perClient.merge(client, 1, Integer::sum);
    if (total <= maxConnections && fromClient <= config.maxConnectionsPerClient()) {
      channel.closeFuture().addListener(closed -> release(client));
      install(channel, options, client, false);
      return;
    }
    release(client);
    if (client.isLoopbackAddress() && reserved.incrementAndGet() <= LOOPBACK_RESERVE) {
      channel.attr(HEALTH_ONLY).set(Boolean.TRUE);
      channel.closeFuture().addListener(closed -> reserved.decrementAndGet());
      install(channel, options, client, true);
      return;
    }
    if (client.isLoopbackAddress()) {
      reserved.decrementAndGet();
    }
    ClientFailures.record(total > maxConnections ? "over-max-connections" : "over-max-connections-per-client",
        client.getHostAddress(), null);
    channel.close();
  }

  /**
   * On a reserve connection, answers anything but {@code /health/*} with 503 and returns true; the connection
   * closes after its one answer either way.
   */
  static boolean refuseOnReserve(HttpServerRequest request) {
    if (!(request.connection() instanceof ConnectionBase base)
        || !Boolean.TRUE.equals(base.channel().attr(HEALTH_ONLY).get())) {
      return false;
    }
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    if (request.path().startsWith("/health/")) {
      return false;
    }
    DialectFailureHandler.respond(request, new FerryException(ErrorCode.UNAVAILABLE,
        "too many connections: only /health/* is served beyond the connection limits"));
    return true;
  }

  private void install(Channel channel, HttpServerOptions options, InetAddress client, boolean oneRequest) {
    ConnectionDeadlines deadlines = new ConnectionDeadlines(config.idleTimeoutMs(), config.headerTimeoutMs(),
        config.bodyTimeoutMs(), client.getHostAddress(), oneRequest);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addBefore("handler", ConnectionDeadlines.NAME, deadlines);
    pipeline.replace("httpDecoder", "httpDecoder", new StrictRequestDecoder(options, deadlines::requestStarted));
  }

  private void release(InetAddress client) {
    open.decrementAndGet();
    perClient.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
  }

  // A cap above what the process may open would never be reached: the accept loop would run out of file
  // descriptors first, and with it storage and the readiness probe.
  private static int fitToOpenFileLimit(int configured) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long files = unix.getMaxFileDescriptorCount();
      long room = files - Math.max(MIN_SPARE_FILES, files / 4);
      if (room > 0 && configured > room) {
        LOG.warn("http.max-connections {} exceeds what the open-file limit {} leaves room for; using {}"
            + " (raise `ulimit -n` to allow more)", configured, files, room);
        return (int) room;
      }
    }
    return configured;
  }
}
