package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone jar's command line as a user runs it: --help, --version, check-config and print-config
 * answer and exit without creating a data directory or printing a bootstrap key; --config=FILE is read.
 */
class StandaloneCliIT {

  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void helpNamesTheCommands() throws Exception {
    String output = runOk("help", List.of("--help"), Map.of());
    assertTrue(output.contains("Usage: ferry"), output);
    assertTrue(output.contains("check-config") && output.contains("print-config") && output.contains("serve"), output);
  }

  @Test
  void versionIsTheProjectVersion() throws Exception {
    String output = runOk("version", List.of("--version"), Map.of());
    assertTrue(output.matches("(?s)Ferry \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*"), output);
  }

  @Test
  void checkConfigReadsConfigEqualsAndMasksTheKey() throws Exception {
    Path file = Files.writeString(Files.createDirectories(dir.resolve("check")).resolve("prod.json"),
        "{\"http\":{\"host\":\"127.0.0.1\"}}");
    String output = runOk("check", List.of("check-config", "--config=" + file),
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", "fry_cli-test-key-that-must-stay-hidden"));
    assertTrue(output.matches("(?s).*http\\.host +file +127\\.0\\.0\\.1\n.*"), output);
    assertTrue(output.matches("(?s).*auth\\.bootstrap-key +env +\\*{8}\n.*"), output);
    assertFalse(output.contains("must-stay-hidden"), output);
    assertTrue(output.contains("configuration is valid"), output);
  }

  @Test
  void checkConfigExitsTwoOnAnInvalidValue() throws Exception {
    try (FerryProcess ferry = start("invalid", List.of("check-config"), Map.of("FERRY_AUTH_MODE", "sometimes"))) {
      assertEquals(2, ferry.awaitExit(EXIT), ferry.output());
      assertTrue(ferry.output().contains("ferry: invalid configuration: auth.mode (FERRY_AUTH_MODE)"),
          ferry.output());
    }
    assertNoDataDirectory("invalid");
  }

  @Test
  void printConfigJson() throws Exception {
    String output = runOk("print", List.of("print-config", "--json"), Map.of());
    assertEquals("default", new io.vertx.core.json.JsonObject(output).getJsonObject("storage.data-dir")
        .getString("source"), output);
  }

  private String runOk(String name, List<String> args, Map<String, String> env) throws Exception {
    try (FerryProcess ferry = start(name, args, env)) {
      assertEquals(0, ferry.awaitExit(EXIT), ferry.output());
      assertFalse(ferry.output().contains("fry_") && !env.containsKey("FERRY_AUTH_BOOTSTRAP_KEY"), ferry.output());
      assertFalse(ferry.output().contains("\u001b["), "colour codes: " + ferry.output());
      assertNoDataDirectory(name);
      return ferry.output();
    }
  }

  private FerryProcess start(String name, List<String> args, Map<String, String> env) throws Exception {
    return FerryProcess.start(name, "ferry.standalone.jar", dir.resolve(name), Ports.free(), env, List.of(), args);
  }

  private void assertNoDataDirectory(String name) {
    assertFalse(Files.exists(dir.resolve(name).resolve("data")), "data directory created by " + name);
  }
}
