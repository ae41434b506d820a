package io.ferry.contracts.runtime;

import static io.ferry.contracts.testkit.DialectAssertions.assertRawError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests Vert.x used to answer with a 500 or an empty body (bad percent escapes, JSON labelled as a form,
 * request lines and headers beyond the server's limits, lines that are not HTTP, an unknown Expect) get a 4xx in the format of
 * the dialect their path falls under; and routes still see JSON bodies whatever their label.
 */
class RequestGateTest {

  private static FerryNode node;

  @BeforeAll
  static void start() throws Exception {
    NodeConfig config = NodeConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("http.instances"), "1")), 0);
    node = FerryNode.startLocal("gate test", config, List.of(new EchoModule()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aBadEscapeInTheQueryIsA400InTheDialectsFormat() throws Exception {
    String reply = send("GET /v1/things/abc?pretty=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    assertRawError(reply, Dialect.DISCUE, ErrorCode.INVALID_FIELD, "query string");

    reply = send("POST /v1/things/abc?a=% HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    assertStatus(400, reply);
  }

  @Test
  void aBadEscapeInThePathIsA400InTheDialectsFormat() throws Exception {
    for (String path : List.of("/client/v4/things/%zz", "/client/v4/things/%", "/client/v4/things/a%2")) {
      String reply = send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertRawError(reply, Dialect.CLOUDFLARE, ErrorCode.INVALID_FIELD, "");
    }
    assertStatus(200, send("GET /v1/things/%41%ff HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  @Test
  void jsonLabelledAsAFormOrMultipartReachesTheRouteAsItIsExceptOnDiscueRoutes() throws Exception {
    String json = "{\"note\":\"50%zz off\"}";
    for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz")) {
      for (String prefix : List.of("/client/v4", "/queue")) {
        String reply = send("POST " + prefix + "/things/abc HTTP/1.1\r\nHost: x\r\nContent-Type: " + type
            + "\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
        assertStatus(200, reply);
        assertEquals(json, body(reply).getString("received"), reply);
      }
      // discue documents 415 for a body that is not declared as JSON.
      String reply = send("POST /v1/things/abc HTTP/1.1\r\nHost: x\r\nContent-Type: " + type
          + "\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
      assertRawError(reply, Dialect.DISCUE, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type: the request body must be application/json");
    }
  }

  @Test
  void headersBeyondTheLimitAre431InTheDialectsFormat() throws Exception {
    String reply = send("GET /queue/things/abc HTTP/1.1\r\nHost: x\r\nX-Junk: " + "v".repeat(10_000) + "\r\n\r\n");
    assertRawError(reply, Dialect.SONYA, ErrorCode.HEADERS_TOO_LARGE, "");
  }

  @Test
  void aRequestLineBeyondTheLimitIs414InFerrysOwnFormat() throws Exception {
    // Netty gives up before it has a path, so there is no dialect to choose.
    String reply = send("GET /v1/things/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertRawError(reply, Dialect.FERRY, ErrorCode.URI_TOO_LONG, "");
  }

  @Test
  void aLineThatIsNotHttpIsA400() throws Exception {
    String reply = send("GET /v1/things/abc HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n");
    assertRawError(reply, Dialect.DISCUE, ErrorCode.INVALID_FIELD, "");
  }

  @Test
  void anExpectationOtherThan100ContinueIsA400NotA500() throws Exception {
    String reply = send("POST /v1/things/abc HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\n{}");
    assertRawError(reply, Dialect.DISCUE, ErrorCode.INVALID_FIELD, "Expect:");
    assertTrue(body(reply).getString("detail").startsWith("Expect:"), reply);
  }

  private static void assertStatus(int status, String reply) {
    assertTrue(reply.matches("(?s)HTTP/1\\.[01] " + status + " .*"), reply);
  }

  private static JsonObject body(String reply) {
    return new JsonObject(reply.substring(reply.indexOf("\r\n\r\n") + 4));
  }

  // One request on its own connection; the answer read until the server closes or the body is complete.
  private static String send(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        reply.write(buffer, 0, n);
        String text = reply.toString(StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
        if (headEnd > 0 && length.find() && reply.size() - headEnd - 4 >= Integer.parseInt(length.group(1))) {
          break;
        }
      }
      return reply.toString(StandardCharsets.UTF_8);
    }
  }

  /** Routes under each dialect's prefix that echo the body they received. */
  private static final class EchoModule extends BareModule {

    @Override
    public String name() {
      return "echo";
    }

    @Override
    public void mountRoutes(Vertx vertx, Router router) {
      for (String prefix : List.of("/client/v4", "/v1", "/queue")) {
        router.route(prefix + "/things/:id").handler(ctx -> ctx.json(new JsonObject()
            .put("id", ctx.pathParam("id")).put("pretty", ctx.request().getParam("pretty"))
            .put("received", ctx.body().asString())));
      }
    }
  }
}
