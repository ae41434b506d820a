package io.ferry.dispatcher.core;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;

/**
 * Turns a URL's host name into the addresses it stands for, right before connecting; every one of them is
 * checked against the SSRF policy. Injectable so that tests can play a DNS that changes its answer.
 */
@FunctionalInterface
public interface HostResolver {

  /** The host's addresses; fails when the name does not resolve. */
  Future<List<InetAddress>> resolve(String host);

  /** The JVM's resolver (the system's, with the JVM's DNS cache), run off the event loop. */
  static HostResolver system(Vertx vertx) {
    return host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
  }
}
