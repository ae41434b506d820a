package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A route that fails once its response head is out: the client keeps that one head and sees the connection
 * cut, never a second status; the failure is a warning, not an error about a head already sent.
 */
class FailureAfterResponseHeadTest {

  private static FerryNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TinyModule.start(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    TinyModule.stop(node);
  }

  @Test
  void aFailureAfterTheHeadCutsTheResponseInsteadOfAnsweringTwice() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    String received;
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      received = socket.send("GET /v1/fails-midway HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readUntilClosed();
    } finally {
      root.detachAppender(log);
    }
    assertTrue(received.startsWith("HTTP/1.1 200"), received);
    assertEquals(1, received.split("HTTP/1\\.1 ", -1).length - 1, received);
    assertTrue(received.contains("partial"), received);
    assertFalse(received.endsWith("0\r\n\r\n"), "the cut answer looks complete: " + received);
    List<String> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    assertEquals(List.of("WARN GET /v1/fails-midway failed after its response began; resetting it"), warnings);
  }
}
