package io.ferry.standalone;

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

/** The standalone process's configuration: every service's keys, one node. */
class StandaloneConfigTest {

  @Test
  void listensOn8080() {
    assertEquals(8080, StandaloneConfig.from(ConfigReader.of(Map.of())).node().http().port());
  }

  @Test
  void theServicesShareTheProcessNode() {
    StandaloneConfig config = StandaloneConfig.from(ConfigReader.of(Map.of("FERRY_HTTP_PORT", "7000")));
    assertEquals(7000, config.admin().node().http().port());
    assertEquals(7000, config.messaging().node().http().port());
    assertEquals(7000, config.dispatcher().node().http().port());
    assertEquals(7000, config.gateway().node().http().port());
  }

  @Test
  void checkConfigShowsTheKeysOfEveryService() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    FerryCli<StandaloneConfig> cli = new FerryCli<>(Map.of(), StandaloneConfig::from,
        config -> Future.failedFuture(new StartupException("check-config starts nothing")));
    assertEquals(0, cli.run(new String[] {"check-config"}, new PrintWriter(out), new PrintWriter(err)),
        err.toString());
    for (String key : new String[] {"auth.mode", "messaging.lease-sweep-ms", "dispatcher.reconcile-interval-ms",
        "gateway.ping-interval-ms"}) {
      assertTrue(out.toString().contains("\n" + key + " "), key + " in " + out);
    }
  }
}
