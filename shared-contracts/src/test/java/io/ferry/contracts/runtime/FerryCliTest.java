package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.config.StorageConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process: exit codes, what it prints, and that only serve starts anything. */
class FerryCliTest {

  private static final String BOOTSTRAP = "fry_a-bootstrap-key-nobody-may-see-1234";

  @TempDir
  Path dir;

  private final Map<String, String> env = new HashMap<>();
  private final AtomicReference<SampleConfig> started = new AtomicReference<>();
  private String out;
  private String err;

  private int run(String... args) {
    env.putIfAbsent("FERRY_STORAGE_DATA_DIR", dir.resolve("data").toString());
    StringWriter outText = new StringWriter();
    StringWriter errText = new StringWriter();
    FerryCli<SampleConfig> cli = new FerryCli<>(env, SampleConfig::from, config -> {
      started.set(config);
      return Future.failedFuture(new StartupException("stand-in start"));
    });
    int code = cli.run(args, new PrintWriter(outText), new PrintWriter(errText));
    out = outText.toString();
    err = errText.toString();
    return code;
  }

  @Test
  void helpListsTheCommandsAndStartsNothing() {
    assertEquals(0, run("--help"), err);
    for (String command : new String[] {"serve", "check-config", "print-config", "--config", "--version"}) {
      assertTrue(out.contains(command), out);
    }
    assertFalse(out.contains("\u001b["), "no colour codes: " + out);
    assertEquals(0, run("check-config", "--help"));
    assertTrue(out.contains("Exit code 0 when valid, 2 when not"), out);
    assertNothingStarted();
  }

  @Test
  void versionIsTheProjectVersion() {
    assertEquals(0, run("--version"), err);
    assertNotEquals("unknown", FerryCli.version());
    assertTrue(out.startsWith("Ferry " + FerryCli.version() + " "), out);
    assertNothingStarted();
  }

  @Test
  void checkConfigShowsEachValueWithItsSourceAndMasksSecrets() throws Exception {
    Path file = Files.writeString(dir.resolve("prod.json"), "{\"http\":{\"host\":\"127.0.0.1\"}}");
    env.put("FERRY_HTTP_PORT", "9100");
    env.put("FERRY_AUTH_BOOTSTRAP_KEY", BOOTSTRAP);
    assertEquals(0, run("check-config", "--config=" + file), err);
    assertTrue(out.contains("config file: " + file), out);
    assertTrue(out.matches("(?s).*http\\.port +env +9100\n.*"), out);
    assertTrue(out.matches("(?s).*http\\.host +file +127\\.0\\.0\\.1\n.*"), out);
    assertTrue(out.matches("(?s).*auth\\.mode +default +secure\n.*"), out);
    assertTrue(out.matches("(?s).*auth\\.bootstrap-key +env +\\*{8}\n.*"), out);
    assertTrue(out.matches("(?s).*auth\\.token-secret +default +\\(not set\\)\n.*"), out);
    assertFalse(out.contains(BOOTSTRAP), out);
    assertTrue(out.endsWith("configuration is valid\n"), out);
    assertNothingStarted();
  }

  @Test
  void checkConfigExitsTwoNamingTheInvalidKey() throws Exception {
    env.put("FERRY_HTTP_PORT", "eighty");
    assertEquals(2, run("check-config"));
    assertTrue(err.contains("http.port (FERRY_HTTP_PORT)"), err);
    assertFalse(out.contains("configuration is valid"), out);

    env.remove("FERRY_HTTP_PORT");
    Path file = Files.writeString(dir.resolve("typo.json"), "{\"http\":{\"prot\":9000}}");
    assertEquals(2, run("--config", file.toString(), "check-config"));
    assertTrue(err.contains("unknown keys in config file: [http.prot]"), err);

    assertEquals(2, run("check-config", "--config", dir.resolve("missing.json").toString()));
    assertTrue(err.startsWith("ferry: cannot read config file"), err);
    assertNothingStarted();
  }

  @Test
  void printConfigJsonGivesValueAndSourcePerKey() {
    env.put("FERRY_AUTH_TOKEN_SECRET", "a-token-secret-of-at-least-32-characters!");
    assertEquals(0, run("print-config", "--json"), err);
    JsonObject json = new JsonObject(out);
    assertEquals(new JsonObject().put("value", "8080").put("source", "default"), json.getJsonObject("http.port"));
    assertEquals(EffectiveConfig.MASK, json.getJsonObject("auth.token-secret").getString("value"));
    assertEquals("env", json.getJsonObject("auth.token-secret").getString("source"));
    assertFalse(out.contains("configuration is valid"), out);
    assertNothingStarted();
  }

  @Test
  void serveIsTheDefaultAndReadsConfigEquals() throws Exception {
    Path file = Files.writeString(dir.resolve("prod.json"), "{\"http\":{\"port\":9000}}");
    assertEquals(2, run("--config=" + file));
    assertEquals(9000, started.get().node().http().port());
    assertEquals("ferry: stand-in start\n", err);

    started.set(null);
    assertEquals(2, run("serve", "--config", file.toString()));
    assertEquals(9000, started.get().node().http().port());
  }

  @Test
  void unknownArgumentsAreRefusedBeforeAnythingStarts() {
    assertEquals(2, run("--no-such-flag"));
    assertTrue(err.contains("--no-such-flag"), err);
    assertEquals(2, run("--config"));
    assertEquals(2, run("--config="));
    assertTrue(err.contains("--config needs a file path"), err);
    assertNothingStarted();
  }

  @Test
  void secretKeysAreRecognisedButPathsAndLifetimesAreNot() {
    for (String key : new String[] {"auth.bootstrap-key", "storage.secrets-key", "auth.sonya-service-token",
        "auth.token-secret", "auth.jwt.hs256-secret"}) {
      assertTrue(EffectiveConfig.secret(key), key);
    }
    for (String key : new String[] {"cluster.tls.key-file", "auth.sonya-token-ttl-seconds", "http.port",
        "auth.jwt.public-keys-file"}) {
      assertFalse(EffectiveConfig.secret(key), key);
    }
  }

  /** A process's configuration as the service mains have one: the node, and keys of its own. */
  record SampleConfig(NodeConfig node, AuthConfig auth, StorageConfig storage) {

    static SampleConfig from(ConfigReader r) {
      return new SampleConfig(NodeConfig.from(r, 8080), AuthConfig.from(r), StorageConfig.from(r));
    }
  }

  private void assertNothingStarted() {
    assertNull(started.get(), "serve ran");
    assertFalse(Files.exists(dir.resolve("data")), "data directory created");
  }
}
