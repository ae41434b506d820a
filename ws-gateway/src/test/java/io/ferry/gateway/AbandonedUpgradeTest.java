package io.ferry.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Promise;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client that hangs up while its upgrade waits for the queue lookup (slow when admin's store is slow):
 * the gateway drops the upgrade quietly, keeps no subscription for it, and logs no error.
 */
class AbandonedUpgradeTest {

  private TestNode node;
  private ListAppender<ILoggingEvent> log;

  @BeforeEach
  void start() throws Exception {
    node = TestNode.start();
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    node.close();
  }

  @Test
  void anUpgradeWhoseClientLeftDuringTheLookupIsDroppedWithoutAnError() throws Exception {
    node.createQueue("slow-lookup");
    Promise<Void> lookup = Promise.promise();
    node.heldLookups.put("slow-lookup", lookup);
    try (Socket socket = new Socket("127.0.0.1", node.node.httpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /queue/listen/ws/slow-lookup HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "X-API-KEY: " + TestNode.KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> !node.heldLookups.containsKey("slow-lookup"));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 1);
    lookup.complete();

    await().atMost(Duration.ofSeconds(10)).until(() -> node.module.subscriptionCount() == 0
        && node.module.followedQueueCount() == 0);
    // The dropped upgrade must leave the gateway serving: a new client on the same queue gets its socket.
    TestSocket again = node.connect("/queue/listen/ws/slow-lookup");
    again.close();
    List<String> errors = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
            : ": " + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage()))
        .toList();
    assertEquals(List.of(), errors);
  }

  // HTTP connections the node holds open, the asking one included.
  private double openConnections() throws Exception {
    String metrics = node.get("/metrics").toString();
    return metrics.lines().filter(line -> line.startsWith("ferry_http_connections "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(-1);
  }
}
