package io.ferry.admin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.ConfigException;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryCli;
import io.ferry.contracts.runtime.StartupException;
import io.vertx.core.Future;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service's configuration as its main reads it. */
class AdminConfigTest {

  @Test
  void listensOnItsOwnDefaultPort() {
    assertEquals(8081, AdminConfig.from(ConfigReader.of(Map.of())).node().http().port());
  }

  @Test
  void attemptLogsKeepAHundredAttemptsUnlessConfigured() {
    assertEquals(100, AdminConfig.from(ConfigReader.of(Map.of())).attemptsPerListener());
    assertEquals(7, AdminConfig.from(ConfigReader.of(Map.of("FERRY_ADMIN_ATTEMPTS_PER_LISTENER", "7")))
        .attemptsPerListener());
    ConfigException refused = assertThrows(ConfigException.class,
        () -> AdminConfig.from(ConfigReader.of(Map.of("FERRY_ADMIN_ATTEMPTS_PER_LISTENER", "0"))));
    assertTrue(refused.getMessage().contains("admin.attempts-per-listener"), refused.getMessage());
  }

  @Test
  void checkConfigShowsTheServiceKeysWithTheirSource() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    FerryCli<AdminConfig> cli = new FerryCli<>(Map.of("FERRY_AUTH_MODE", "open"), AdminConfig::from,
        config -> Future.failedFuture(new StartupException("check-config starts nothing")));
    assertEquals(0, cli.run(new String[] {"check-config"}, new PrintWriter(out), new PrintWriter(err)),
        err.toString());
    assertTrue(out.toString().matches("(?s).*auth\\.mode +env +open\n.*"), out.toString());
  }
}
