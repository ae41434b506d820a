package io.ferry.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryCli;
import io.ferry.contracts.runtime.StartupException;
import io.vertx.core.Future;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service's configuration as its main reads it. */
class GatewayConfigTest {

  @Test
  void listensOnItsOwnDefaultPort() {
    assertEquals(8084, GatewayConfig.from(ConfigReader.of(Map.of())).node().http().port());
  }

  @Test
  void checkConfigShowsTheServiceKeysWithTheirSource() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    FerryCli<GatewayConfig> cli = new FerryCli<>(Map.of("FERRY_GATEWAY_PING_INTERVAL_MS", "5000"), GatewayConfig::from,
        config -> Future.failedFuture(new StartupException("check-config starts nothing")));
    assertEquals(0, cli.run(new String[] {"check-config"}, new PrintWriter(out), new PrintWriter(err)),
        err.toString());
    assertTrue(out.toString().matches("(?s).*gateway\\.ping-interval-ms +env +5000\n.*"), out.toString());
  }
}
