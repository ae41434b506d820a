package io.ferry.system;

import java.util.List;
import java.util.Random;

/**
 * Credentials and other headers a hostile client sends: none, garbage, duplicated, oversized, too many, a bogus
 * WebSocket upgrade or Expect, another account's key.
 */
final class HostileHeaders {

  private HostileHeaders() {
  }

  /**
   * Adds the credential headers: the caller's key (now and then another account's), or with {@code hostile}
   * one odd variant, named in {@code kinds}.
   */
  static void credentials(Random rnd, HostileRequests.Fixtures fixtures, List<String[]> headers, boolean hostile,
      List<String> kinds) {
    String good = "Bearer " + fixtures.keyA();
    if (!hostile) {
      headers.add(new String[] {"Authorization", rnd.nextInt(10) == 0 ? "Bearer " + fixtures.keyB() : good});
      return;
    }
    String garbage = "fry_" + Long.toHexString(rnd.nextLong());
    switch (rnd.nextInt(13)) {
      case 0 -> kinds.add("no credentials");
      case 1 -> {
        headers.add(new String[] {"Authorization", "Bearer " + garbage});
        kinds.add("garbage bearer");
      }
      case 2 -> {
        headers.add(new String[] {"Authorization", good});
        headers.add(new String[] {"Authorization", "Bearer " + garbage});
        kinds.add("duplicate Authorization");
      }
      case 3 -> {
        headers.add(new String[] {"Authorization", "Bearer " + garbage});
        headers.add(new String[] {"Authorization", good});
        kinds.add("duplicate Authorization, bad first");
      }
      case 4 -> {
        headers.add(new String[] {"Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."});
        kinds.add("unsigned JWT");
      }
      case 5 -> {
        headers.add(new String[] {"Authorization", List.of("Bearer", "Bearer ", "Basic YTpi", "bearer " + fixtures.keyA(),
            "Bearer  " + fixtures.keyA(), good + " extra", "Bearer ü").get(rnd.nextInt(7))});
        kinds.add("odd Authorization");
      }
      case 6 -> {
        headers.add(new String[] {"Authorization", "Bearer " + "a".repeat(6000)});
        kinds.add("6 KB bearer");
      }
      case 7 -> {
        headers.add(new String[] {"Authorization", good});
        headers.add(new String[] {"X-Junk", "v".repeat(10_000)});
        kinds.add("10 KB header");
      }
      case 8 -> {
        headers.add(new String[] {"X-API-KEY", rnd.nextBoolean() ? garbage : fixtures.keyA()});
        headers.add(new String[] {"Authorization", rnd.nextBoolean() ? "Bearer " + garbage : good});
        kinds.add("X-API-KEY and Authorization");
      }
      case 9 -> {
        headers.add(new String[] {"Authorization", good});
        for (int i = 0; i < 150; i++) {
          headers.add(new String[] {"X-Many-" + i, "v"});
        }
        kinds.add("150 headers");
      }
      case 10 -> {
        headers.add(new String[] {"Authorization", good});
        headers.add(new String[] {"Upgrade", "websocket"});
        headers.add(new String[] {"Connection", "Upgrade"});
        headers.add(new String[] {"Sec-WebSocket-Version", rnd.nextBoolean() ? "13" : "99"});
        kinds.add("bogus WebSocket upgrade");
      }
      case 11 -> {
        headers.add(new String[] {"Authorization", good});
        headers.add(new String[] {"Expect", rnd.nextBoolean() ? "100-continue" : "teapot"});
        kinds.add("Expect header");
      }
      default -> {
        headers.add(new String[] {"Authorization", "Bearer " + fixtures.keyB()});
        kinds.add("another account's key");
      }
    }
  }
}
