package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.ferry.contracts.testkit.Ports;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone jar that cannot start where it is started says so in one line (what, where, what to do) and
 * exits 2, before starting its modules: no stack trace for an operator to read through.
 */
class StartupFailuresIT {

  private static final String KEY = "fry_startup-failures-test-key-0123456789";
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void busyHttpPortNamesThePortBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      int port = taken.getLocalPort();
      try (FerryProcess ferry = start("busy-port", dir.resolve("busy"), port, Map.of())) {
        assertEquals(2, ferry.awaitExit(EXIT), ferry.output());
        assertOneLine(ferry.output(), "ferry: HTTP port " + port + " on 0.0.0.0 is not available");
        assertTrue(ferry.output().contains("http.port (FERRY_HTTP_PORT)"), ferry.output());
      }
      assertFalse(Files.exists(dir.resolve("busy/data")), "started storage although the port was busy");
    }
  }

  @Test
  void secondInstanceOnTheSameDataDirectoryIsRefused() throws Exception {
    Path work = dir.resolve("shared");
    try (FerryProcess first = start("first", work, Ports.free(), Map.of())) {
      first.awaitReady(EXIT);
      try (FerryProcess second = start("second", work, Ports.free(), Map.of())) {
        assertEquals(2, second.awaitExit(EXIT), second.output());
        assertOneLine(second.output(), "ferry: data directory " + work.resolve("data").toRealPath()
            + " is in use by another Ferry process");
      }
      first.awaitReady(Duration.ofSeconds(5));
    }
  }

  @Test
  void dataDirectoryThatIsAFileIsRefused() throws Exception {
    Path work = Files.createDirectories(dir.resolve("file"));
    Files.writeString(work.resolve("data"), "not a directory");
    try (FerryProcess ferry = start("data-is-file", work, Ports.free(), Map.of())) {
      assertEquals(2, ferry.awaitExit(EXIT), ferry.output());
      assertOneLine(ferry.output(), "ferry: data directory " + work.resolve("data").toRealPath()
          + " is not a directory");
      assertTrue(ferry.output().contains("FERRY_STORAGE_DATA_DIR"), ferry.output());
    }
  }

  @Test
  void dataDirectoryThatCannotBeCreatedIsRefused() throws Exception {
    Path work = Files.createDirectories(dir.resolve("under-file"));
    Files.writeString(work.resolve("blocker"), "a file where a directory is needed");
    try (FerryProcess ferry = start("under-file", work, Ports.free(),
        Map.of("FERRY_STORAGE_DATA_DIR", "blocker/data"))) {
      assertEquals(2, ferry.awaitExit(EXIT), ferry.output());
      assertOneLine(ferry.output(), "ferry: cannot create data directory " + work.toRealPath() + "/blocker/data");
    }
  }

  @Test
  void dataDirectoryThatIsNotWritableIsRefused() throws Exception {
    assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
    Path work = Files.createDirectories(dir.resolve("read-only"));
    Path data = Files.createDirectories(work.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-x------"));
    try (FerryProcess ferry = start("read-only", work, Ports.free(), Map.of())) {
      assertEquals(2, ferry.awaitExit(EXIT), ferry.output());
      assertOneLine(ferry.output(), "ferry: data directory " + data.toRealPath() + " is not writable");
    }
  }

  private static FerryProcess start(String name, Path work, int port, Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY));
    all.putAll(env);
    return FerryProcess.start(name, "ferry.standalone.jar", work, port, all, List.of());
  }

  private static void assertOneLine(String output, String start) {
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    assertEquals(1, lines.size(), "one line expected:\n" + output);
    assertTrue(lines.get(0).startsWith(start), "expected '" + start + "...':\n" + output);
  }
}
