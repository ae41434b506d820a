package io.ferry.contracts.runtime;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.contracts.testkit.DialectAssertions.assertRawError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An error a client should simply retry (the service or its store unavailable, a queue's writes backed up)
 * carries {@code Retry-After} in every dialect, in that dialect's own error format; other errors do not, an
 * outcome unknown (a request that may have been applied) included.
 */
class RetryAfterTest {

  private static final Map<String, Dialect> PREFIXES = Map.of(
      "/client/v4", Dialect.CLOUDFLARE, "/v1", Dialect.DISCUE, "/queue", Dialect.SONYA, "/ferry", Dialect.FERRY);

  private static FerryNode node;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    NodeConfig config = NodeConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("http.instances"), "1")), 0);
    node = FerryNode.startLocal("retry-after test", config, List.of(new FailingModule()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    client = WebClient.create(node.vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void unavailableIsA503WithRetryAfterInEveryDialect() {
    PREFIXES.forEach((prefix, dialect) -> {
      HttpResponse<Buffer> response = get(prefix + "/fail/" + ErrorCode.UNAVAILABLE.name());
      assertEquals(503, response.statusCode(), prefix);
      assertEquals(Integer.toString(ErrorCode.RETRY_AFTER_SECONDS), response.getHeader("Retry-After"), prefix);
      assertError(response, dialect, ErrorCode.UNAVAILABLE, "store is unavailable");
    });
  }

  @Test
  void anOverloadedQueueIsA429WithRetryAfterInEveryDialect() {
    PREFIXES.forEach((prefix, dialect) -> {
      HttpResponse<Buffer> response = get(prefix + "/fail/" + ErrorCode.QUEUE_OVERLOADED.name());
      assertEquals(429, response.statusCode(), prefix);
      assertEquals(Integer.toString(ErrorCode.RETRY_AFTER_SECONDS), response.getHeader("Retry-After"), prefix);
      assertError(response, dialect, ErrorCode.QUEUE_OVERLOADED);
    });
  }

  @Test
  void anOutcomeUnknownIsA504WithoutRetryAfterInEveryDialect() {
    // It may have been applied: Retry-After would tell a client it was refused and to send it again as it is.
    PREFIXES.forEach((prefix, dialect) -> {
      HttpResponse<Buffer> response = get(prefix + "/fail/" + ErrorCode.OUTCOME_UNKNOWN.name());
      assertEquals(504, response.statusCode(), prefix);
      assertEquals(null, response.getHeader("Retry-After"), prefix);
      assertError(response, dialect, ErrorCode.OUTCOME_UNKNOWN);
    });
  }

  @Test
  void errorsThatARetryWouldNotCureHaveNoRetryAfter() {
    for (ErrorCode code : List.of(ErrorCode.INTERNAL, ErrorCode.QUEUE_NOT_FOUND, ErrorCode.TOO_MANY_REQUESTS,
        ErrorCode.STORAGE_LIMIT_EXCEEDED)) {
      PREFIXES.forEach((prefix, dialect) -> {
        HttpResponse<Buffer> response = get(prefix + "/fail/" + code.name());
        assertEquals(null, response.getHeader("Retry-After"), prefix + " " + code);
        assertError(response, dialect, code);
      });
    }
  }

  @Test
  void theHeaderIsOnTheWireAsWellAsInTheClientsViewOfIt() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
      socket.getOutputStream().write("GET /queue/fail/UNAVAILABLE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertRawError(reply, Dialect.SONYA, ErrorCode.UNAVAILABLE, "store is unavailable");
    }
  }

  private static HttpResponse<Buffer> get(String path) {
    return Futures.await(client.get(node.httpPort(), "127.0.0.1", path).send(), Duration.ofSeconds(10));
  }

  private static final class FailingModule extends BareModule {

    @Override
    public String name() {
      return "failing";
    }

    @Override
    public void mountRoutes(Vertx vertx, Router router) {
      for (String prefix : PREFIXES.keySet()) {
        router.get(prefix + "/fail/:code").handler(ctx -> ctx.fail(new FerryException(
            ErrorCode.valueOf(ctx.pathParam("code")), "the store is unavailable")));
      }
    }
  }
}
