package io.ferry.contracts.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free ports for servers and processes a test starts, taken below Linux's default ephemeral range (32768-60999):
 * a port the kernel hands out for {@code bind(0)} is also where it picks the source ports of outgoing
 * connections, so with a cluster's many connections one of them could take the port between this check and the
 * process's listen (a cluster test's admin once failed to start that way).
 */
public final class Ports {

  private static final int FIRST = 20_000;
  private static final int LAST = 32_767;
  // A random start, so that test JVMs running side by side rarely probe the same ports.
  private static final AtomicInteger NEXT =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(LAST - FIRST + 1));

  private Ports() {
  }

  /** A port nothing listens on right now, never handed out twice by this JVM in a row of the range. */
  public static int free() {
    for (int tried = 0; tried <= LAST - FIRST; tried++) {
      int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), LAST - FIRST + 1);
      if (bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
