package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * At most {@code http.max-connections} connections, and {@code http.max-connections-per-client} from one
 * address; one more is closed at once, except from loopback, where a small reserve still answers
 * {@code /health/*} (and nothing else) so that a local readiness probe does not depend on a free slot.
 */
class ConnectionCapsTest {

  private static final int PER_CLIENT = 3;
  private static final int TOTAL = 6;

  private static FerryNode node;
  private final List<RawSocket> held = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    node = TinyModule.start(Map.of("http.host", "0.0.0.0", "http.max-connections", Integer.toString(TOTAL),
        "http.max-connections-per-client", Integer.toString(PER_CLIENT)));
  }

  @AfterAll
  static void stop() throws Exception {
    TinyModule.stop(node);
  }

  @AfterEach
  void release() throws Exception {
    for (RawSocket socket : held) {
      socket.close();
    }
    // The server counts a connection out when it sees it closed: wait until a full set fits again.
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
      List<RawSocket> probe = new ArrayList<>();
      try {
        for (int i = 0; i < PER_CLIENT; i++) {
          probe.add(served("127.0.0.99"));
        }
        return true;
      } catch (AssertionError notYet) {
        return false;
      } finally {
        for (RawSocket socket : probe) {
          socket.close();
        }
      }
    });
  }

  @Test
  void oneConnectionTooManyFromAnAddressGets503ButHealthIsStillAnswered() throws Exception {
    for (int i = 0; i < PER_CLIENT; i++) {
      held.add(served("127.0.0.5"));
    }
    try (RawSocket extra = new RawSocket("127.0.0.5", "127.0.0.1", node.httpPort())) {
      String reply = extra.send(get("/v1/things/a")).readUntilClosed();
      assertTrue(reply.startsWith("HTTP/1.1 503"), reply);
      assertTrue(reply.contains("too many connections"), reply);
    }
    try (RawSocket extra = new RawSocket("127.0.0.5", "127.0.0.1", node.httpPort())) {
      // No readiness checks are registered in this node: "ready" is 204.
      String reply = extra.send(get("/health/ready")).readUntilClosed();
      assertTrue(reply.startsWith("HTTP/1.1 20"), reply);
    }
    // Another address is not affected, and a slot freed is a slot usable again.
    held.add(served("127.0.0.6"));
    held.remove(0).close();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> held.add(served("127.0.0.5")));
  }

  @Test
  void oneConnectionTooManyInAllStillAnswersHealthFromLoopback() throws Exception {
    for (int i = 0; i < TOTAL; i++) {
      held.add(served("127.0.1." + (i % 2 + 1)));
    }
    try (RawSocket extra = new RawSocket("127.0.1.3", "127.0.0.1", node.httpPort())) {
      assertTrue(extra.send(get("/v1/things/a")).readUntilClosed().startsWith("HTTP/1.1 503"));
    }
    try (RawSocket extra = new RawSocket("127.0.1.3", "127.0.0.1", node.httpPort())) {
      String reply = extra.send(get("/health/live")).readUntilClosed();
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
    }
  }

  @Test
  void theLoopbackReserveIsBoundedToo() throws Exception {
    for (int i = 0; i < PER_CLIENT; i++) {
      held.add(served("127.0.2.1"));
    }
    for (int i = 0; i < ConnectionGuard.LOOPBACK_RESERVE; i++) {
      held.add(new RawSocket("127.0.2.1", "127.0.0.1", node.httpPort()));
    }
    try (RawSocket extra = new RawSocket("127.0.2.1", "127.0.0.1", node.httpPort())) {
      assertEquals("", extra.send(get("/health/ready")).readUntilClosed());
    }
  }

  @Test
  void overTheCapFromElsewhereTheConnectionIsClosedAtOnce() throws Exception {
    String own = nonLoopbackAddress();
    assumeTrue(own != null, "this machine has no non-loopback IPv4 address");
    for (int i = 0; i < PER_CLIENT; i++) {
      held.add(served(own, own));
    }
    try (RawSocket extra = new RawSocket(own, own, node.httpPort())) {
      assertEquals("", extra.send(get("/health/ready")).readUntilClosed());
      assertTrue(extra.ageMs() < 5_000, "closed after " + extra.ageMs() + " ms");
    }
  }

  private static RawSocket served(String from) throws Exception {
    return served(from, "127.0.0.1");
  }

  // A connection the server admitted: it has answered a request on it, and it stays open.
  private static RawSocket served(String from, String to) throws Exception {
    RawSocket socket = new RawSocket(from, to, node.httpPort());
    String reply;
    try {
      reply = socket.send(get("/v1/things/a")).readResponse();
    } catch (java.io.IOException closed) {
      reply = closed.toString();
    }
    if (!reply.startsWith("HTTP/1.1 200") || reply.toLowerCase().contains("connection: close")) {
      socket.close();
      throw new AssertionError("not served from " + from + ": " + reply);
    }
    return socket;
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY + "\r\n\r\n";
  }

  private static String nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    }
    return null;
  }
}
