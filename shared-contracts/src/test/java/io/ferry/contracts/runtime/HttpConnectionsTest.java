package io.ferry.contracts.runtime;

import static io.ferry.contracts.testkit.DialectAssertions.assertRawError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Connections that are idle, slow to send their headers or body, or silent after {@code Expect: 100-continue}
 * are closed within the configured time; work the server does (a slow answer, a WebSocket) is never cut.
 * Ambiguous framing is refused with 400 and a closed connection; client faults never log ERROR.
 */
class HttpConnectionsTest {

  private static final long IDLE_MS = 700;
  private static final long HEADER_MS = 500;
  private static final long BODY_MS = 600;
  /** Timers fire on a busy event loop of a shared 2-core machine: what "within the configured time" allows. */
  private static final long SLACK_MS = 1_500;

  private static FerryNode node;
  private ListAppender<ILoggingEvent> log;

  @BeforeAll
  static void start() throws Exception {
    node = TinyModule.start(Map.of("http.idle-timeout-ms", Long.toString(IDLE_MS),
        "http.header-timeout-ms", Long.toString(HEADER_MS), "http.body-timeout-ms", Long.toString(BODY_MS)));
  }

  @AfterAll
  static void stop() throws Exception {
    TinyModule.stop(node);
  }

  @BeforeEach
  void watchLog() {
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
  }

  @AfterEach
  void noErrorWasLogged() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    List<String> errors = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertTrue(errors.isEmpty(), "logged: " + errors);
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      assertEquals("", socket.readUntilClosed());
      assertClosedAfter(HEADER_MS, socket.ageMs());
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedAnIdleTimeoutAfterItsLastAnswer() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send(get("/v1/things/a")).readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      long answeredAt = socket.ageMs();
      assertEquals("", socket.readUntilClosed());
      assertClosedAfter(IDLE_MS, socket.ageMs() - answeredAt);
    }
  }

  @Test
  void requestsSpacedUnderTheIdleTimeoutKeepAConnectionOpenPastIt() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      long answeredAt = 0;
      // Four idle gaps of 300 ms: 1.2 s in all, well past the idle timeout of one gap.
      for (int i = 0; i < 5; i++) {
        if (i > 0) {
          Thread.sleep(IDLE_MS - 400);
        }
        String reply = socket.send(get("/v1/things/a")).readResponse();
        assertTrue(reply.startsWith("HTTP/1.1 200"), "request " + i + ": " + reply);
        answeredAt = socket.ageMs();
      }
      assertEquals("", socket.readUntilClosed());
      assertClosedAfter(IDLE_MS, socket.ageMs() - answeredAt);
    }
  }

  @Test
  void headersSentAByteAtATimeAreCutOffAtTheHeaderDeadline() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      CompletableFuture<Void> dribble = CompletableFuture.runAsync(() -> {
        try {
          socket.send("GET /v1/things/a HTTP/1.1\r\nHost: x\r\n");
          for (int i = 0; i < 100; i++) {
            Thread.sleep(50);
            socket.send("X");
          }
        } catch (Exception closed) {
          // the server hung up: what the test waits for
        }
      });
      socket.readUntilClosed();
      assertClosedAfter(HEADER_MS, socket.ageMs());
      dribble.cancel(true);
    }
  }

  @Test
  void aBodySentAByteAtATimeIsCutOffAtTheBodyDeadline() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      socket.send("POST /v1/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n");
      long headersSentAt = socket.ageMs();
      CompletableFuture<Void> dribble = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            Thread.sleep(50);
            socket.send(" ");
          }
        } catch (Exception closed) {
          // the server hung up
        }
      });
      socket.readUntilClosed();
      assertClosedAfter(BODY_MS, socket.ageMs() - headersSentAt);
      dribble.cancel(true);
    }
  }

  @Test
  void expect100ContinueFollowedBySilenceIsCutOffAtTheBodyDeadline() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      socket.send("POST /v1/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
          + "\r\nExpect: 100-continue\r\nContent-Length: 20\r\n\r\n");
      String reply = socket.readUntilClosed();
      assertFalse(reply.contains(" 200 "), reply);
      assertClosedAfter(BODY_MS, socket.ageMs());
    }
  }

  @Test
  void anAnswerSlowerThanTheIdleTimeoutIsNotCut() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send(get("/v1/slow")).readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      assertTrue(TinyModule.SLOW_MS > IDLE_MS + HEADER_MS + BODY_MS);
    }
  }

  @Test
  void aWebSocketIdleLongerThanEveryTimeoutStaysOpen() throws Exception {
    WebSocketClient client = node.vertx().createWebSocketClient();
    try {
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort())
          .setURI("/queue/listen/ws/q?access_token=" + TinyModule.KEY)));
      CompletableFuture<String> echo = new CompletableFuture<>();
      ws.textMessageHandler(echo::complete);
      Thread.sleep(3 * (IDLE_MS + HEADER_MS + BODY_MS));
      assertFalse(ws.isClosed(), "the idle-but-pinged WebSocket was closed");
      ws.writeTextMessage("still there");
      assertEquals("echo:still there", echo.get(10, TimeUnit.SECONDS));
      await(ws.close());
    } finally {
      await(client.close());
    }
  }

  @Test
  void contentLengthWithChunkedIsRefusedAndTheRestIsNeverServed() throws Exception {
    String smuggled = "GET /v1/things/smuggled HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY + "\r\n\r\n";
    String reply = refused("POST /v1/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
        + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
    assertFalse(reply.contains("smuggled"), reply);
    assertRawError(reply, Dialect.DISCUE, ErrorCode.INVALID_FIELD, "Content-Length and Transfer-Encoding");
  }

  @Test
  void aTransferEncodingOtherThanChunkedIsRefused() throws Exception {
    for (String encoding : List.of("xchunked", "chunked, identity", "gzip, chunked", "identity", " chunked\r\nTransfer-Encoding: chunked")) {
      String reply = refused("POST /v1/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
          + "\r\nTransfer-Encoding: " + encoding + "\r\n\r\n0\r\n\r\n");
      assertRawError(reply, Dialect.DISCUE, ErrorCode.INVALID_FIELD, "Transfer-Encoding");
    }
  }

  @Test
  void anObsFoldedHeaderIsRefusedInTheDialectsFormat() throws Exception {
    String reply = refused("GET /client/v4/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n "
        + TinyModule.KEY + "\r\n\r\n");
    assertRawError(reply, Dialect.CLOUDFLARE, ErrorCode.INVALID_FIELD, "obs-fold");
    refused("GET /v1/things/a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\tcontinued\r\n\r\n");
  }

  /** The head in pieces, as slow clients send it: the request line kept across reads names the dialect. */
  @Test
  void anObsFoldedHeaderArrivingAfterTheRequestLineInLaterReadsIsRefusedInTheDialectsFormat() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      for (String piece : List.of("GET /client/v4/thi", "ngs/a HTTP/1.1\r", "\nHost: x\r\nX-Long: "
          + "y".repeat(3_000), "\r\n", "  continued\r\n\r\n")) {
        socket.send(piece);
        // Apart, so that the server reads each piece on its own.
        Thread.sleep(30);
      }
      String reply = socket.readUntilClosed();
      assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
      assertRawError(reply, Dialect.CLOUDFLARE, ErrorCode.INVALID_FIELD, "obs-fold");
    }
  }

  @Test
  void aFoldedHeaderInTheSecondRequestOfAKeptAliveConnectionIsRefusedAfterTheFirstIsServed() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /client/v4/things/a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n continued\r\n\r\n").readUntilClosed();
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      String second = reply.substring(reply.indexOf("HTTP/1.1 ", 1));
      assertTrue(second.startsWith("HTTP/1.1 400"), reply);
      assertRawError(second, Dialect.CLOUDFLARE, ErrorCode.INVALID_FIELD, "obs-fold");
    }
  }

  @Test
  void chunkedBodiesStillWork() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send("POST /v1/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n").readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      reply = socket.send(get("/v1/things/b")).readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
    }
  }

  @Test
  void http11WithoutHostIsA400InTheDialectsFormat() throws Exception {
    String reply = refused("GET /queue/things/a HTTP/1.1\r\nAuthorization: Bearer " + TinyModule.KEY + "\r\n\r\n");
    assertRawError(reply, Dialect.SONYA, ErrorCode.INVALID_FIELD, "Host");
    assertRawError(refused("GET /v1/things/a HTTP/1.1\r\n\r\n"), Dialect.DISCUE, ErrorCode.INVALID_FIELD, "");
    refused("GET /v1/things/a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String ok = socket.send("GET /v1/things/a HTTP/1.0\r\nAuthorization: Bearer " + TinyModule.KEY + "\r\n\r\n")
          .readUntilClosed();
      assertTrue(ok.startsWith("HTTP/1.0 200"), ok);
    }
  }

  @Test
  void aMalformedChunkedBodyOrAHangUpMidUploadIsNoServerError() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send("POST /v1/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
          + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n").readUntilClosed();
      assertFalse(reply.contains(" 500 "), reply);
    }
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      socket.send("POST /v1/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
          + "\r\nContent-Length: 1000\r\n\r\n{\"partial\":");
      Thread.sleep(100);
    }
    org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(
        () -> metrics().contains("ferry_http_client_failures_total{kind=\"request-unreadable\""));
  }

  @Test
  void http2CleartextIsNotSpoken() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      // Prior knowledge: the HTTP/2 connection preface. An HTTP/2 server would answer with a SETTINGS frame.
      String reply = socket.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").readUntilClosed();
      // Vert.x's HTTP/1.x code refuses it as text ("HTTP/2.0 501"), never with a binary SETTINGS frame.
      assertTrue(reply.isEmpty() || reply.startsWith("HTTP/"), reply);
      assertFalse(reply.startsWith("HTTP/1.1 2") || reply.startsWith("HTTP/2.0 2"), reply);
    }
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send("GET /v1/things/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
          + "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
          .readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 200"), "h2c upgrade answered with: " + reply);
    }
  }

  private static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY + "\r\n\r\n";
  }

  /** Sends {@code request} on its own connection; asserts one 400 and a closed connection; returns the answer. */
  private static String refused(String request) throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send(request).readUntilClosed();
      assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
      assertEquals(1, java.util.regex.Pattern.compile("(?m)^HTTP/1\\.1 \\d{3}").matcher(reply).results().count(),
          "more than one answer: " + reply);
      return reply;
    }
  }

  private static String metrics() throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      return socket.send("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readUntilClosed();
    }
  }

  private static void assertClosedAfter(long configuredMs, long elapsedMs) {
    assertTrue(elapsedMs >= configuredMs - 100 && elapsedMs <= configuredMs + SLACK_MS,
        "closed after " + elapsedMs + " ms; configured " + configuredMs + " ms");
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
