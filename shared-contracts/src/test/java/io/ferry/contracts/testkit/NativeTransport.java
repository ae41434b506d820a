package io.ferry.contracts.testkit;

import java.util.Set;

/** Where Ferry's jars carry Netty's epoll library, so that a process is expected to run on it. */
public final class NativeTransport {

  private static final Set<String> EPOLL_ARCHES = Set.of("amd64", "x86_64", "aarch64");

  private NativeTransport() {
  }

  /** True on Linux x86-64 and arm64, the platforms whose epoll library the jars ship. */
  public static boolean epollShipsForThisPlatform() {
    return System.getProperty("os.name").startsWith("Linux") && EPOLL_ARCHES.contains(System.getProperty("os.arch"));
  }
}
