package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack against the real standalone process: idle, slowloris, slow-body and
 * 100-continue-then-silent connections from several addresses, up to the caps. While they are held the
 * process still answers {@code /health/ready} from loopback; all of them are closed within the configured
 * deadlines, and afterwards the process serves normally. A credential in the URL of a normal route is 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionLimitsIT {

  private static final String KEY = "fry_connection-limits-root-key-0123456789";
  private static final int DEADLINE_MS = 3_000;
  private static final int PER_CLIENT = 40;
  private static final int TOTAL = 120;

  @TempDir
  static Path dir;
  private FerryProcess ferry;

  @BeforeAll
  void start() throws Exception {
    ferry = FerryProcess.start("limits", "ferry.standalone.jar", dir.resolve("l"), Ports.free(), Map.of(
        "FERRY_AUTH_BOOTSTRAP_KEY", KEY,
        "FERRY_HTTP_IDLE_TIMEOUT_MS", Integer.toString(DEADLINE_MS),
        "FERRY_HTTP_HEADER_TIMEOUT_MS", Integer.toString(DEADLINE_MS),
        "FERRY_HTTP_BODY_TIMEOUT_MS", Integer.toString(DEADLINE_MS),
        "FERRY_HTTP_MAX_CONNECTIONS", Integer.toString(TOTAL),
        "FERRY_HTTP_MAX_CONNECTIONS_PER_CLIENT", Integer.toString(PER_CLIENT)))
        .awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() throws Exception {
    if (ferry != null) {
      ferry.close();
    }
  }

  @Test
  void slowAndIdleConnectionsAreClosedInTimeAndNeverStarveReadiness() throws Exception {
    List<Socket> hostile = new ArrayList<>();
    String[] openings = {
        "",
        "GET /client/v4/accounts HTTP/1.1\r\nHost: x\r\nX-Slow: ",
        "POST /v1/queues HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
        "POST /v1/queues HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n"};
    try {
      // As many as the process takes, from four addresses (loopback aliases: this machine has no others, so
      // these would also get the loopback reserve beyond the cap, which is for local probes; see ConnectionCapsTest).
      for (int i = 0; i < TOTAL; i++) {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress("127.0.3." + (i % 4 + 1), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", ferry.httpPort()), 5_000);
        socket.getOutputStream().write(openings[i % openings.length].getBytes(StandardCharsets.ISO_8859_1));
        hostile.add(socket);
      }
      long openedAt = System.nanoTime();
      HttpResponse<String> ready = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
          HttpRequest.newBuilder(URI.create(ferry.baseUrl() + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue((System.nanoTime() - openedAt) / 1_000_000 < DEADLINE_MS, "readiness answered only after the deadlines");

      for (Socket socket : hostile) {
        socket.setSoTimeout(DEADLINE_MS + 5_000);
        assertClosed(socket);
      }
      long tookMs = (System.nanoTime() - openedAt) / 1_000_000;
      assertTrue(tookMs < DEADLINE_MS + 5_000, "the last slow connection was closed after " + tookMs + " ms");
    } finally {
      for (Socket socket : hostile) {
        socket.close();
      }
    }
    assertTrue(ferry.isAlive());
    assertTrue(ferry.output().lines().noneMatch(line -> line.contains(" ERROR ")), ferry.output());
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> get("/client/v4/accounts", KEY).statusCode() == 200);
  }

  @Test
  void aCredentialInTheUrlOfANormalRouteIs401() throws Exception {
    HttpResponse<String> response = get("/client/v4/accounts?access_token=" + KEY, null);
    assertEquals(401, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"success\":false") && response.body().contains("X-API-KEY"), response.body());
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ferry.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // Whatever the server answered first (an interim 100, a 4xx), it must end with the connection closed.
  private static void assertClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // drain
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("connection from " + socket.getLocalAddress() + " still open", e);
    } catch (IOException reset) {
      // reset: closed too
    }
  }
}
