package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.contracts.testkit.NativeTransport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On Linux x86-64 and arm64 (the platforms whose epoll library the jars carry) a node serves on Netty's epoll
 * transport unless {@code net.native-transport=false} asks for NIO; either way it answers the same.
 */
class NetworkTransportTest {

  @Test
  void servesOnEpollByDefaultWhereTheJarsCarryItsLibrary() throws Exception {
    assumeTrue(NativeTransport.epollShipsForThisPlatform(), "epoll is only packaged for Linux x86-64 and arm64");
    FerryNode node = TinyModule.start(Map.of());
    try {
      assertTrue(node.vertx().isNativeTransportEnabled(),
          "epoll did not load: " + node.vertx().unavailableNativeTransportCause());
      assertServes(node);
    } finally {
      TinyModule.stop(node);
    }
  }

  @Test
  void nativeTransportOffServesOnNio() throws Exception {
    FerryNode node = TinyModule.start(Map.of("net.native-transport", "false"));
    try {
      assertFalse(node.vertx().isNativeTransportEnabled());
      assertServes(node);
    } finally {
      TinyModule.stop(node);
    }
  }

  private static void assertServes(FerryNode node) throws Exception {
    try (RawSocket socket = new RawSocket(node.httpPort())) {
      String reply = socket.send("POST /v1/things/t1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TinyModule.KEY
          + "\r\nContent-Length: 5\r\n\r\nhello").readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      assertEquals("{\"id\":\"t1\",\"received\":\"hello\"}", reply.substring(reply.indexOf("\r\n\r\n") + 4), reply);
    }
  }
}
