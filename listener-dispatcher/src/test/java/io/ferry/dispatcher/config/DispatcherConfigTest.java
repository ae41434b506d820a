package io.ferry.dispatcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.ConfigException;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryCli;
import io.ferry.contracts.runtime.StartupException;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service's configuration as its main reads it. */
class DispatcherConfigTest {

  @Test
  void listensOnItsOwnDefaultPort() {
    assertEquals(8083, DispatcherConfig.from(ConfigReader.of(Map.of())).node().http().port());
  }

  @Test
  void keepsSixtyFourRequestsInFlightPerListenerUnlessConfigured() {
    assertEquals(64, DispatcherConfig.from(ConfigReader.of(Map.of())).maxInFlightPerListener());
    assertEquals(8, DispatcherConfig.from(ConfigReader.of(Map.of("FERRY_DISPATCHER_MAX_IN_FLIGHT_PER_LISTENER", "8")))
        .maxInFlightPerListener());
  }

  @Test
  void webhooksGoOutOverOneLanePerEventLoopUnlessConfiguredAndNoneOrTooManyIsRefused() {
    assertEquals(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE,
        DispatcherConfig.from(ConfigReader.of(Map.of())).deliveryLanes());
    assertEquals(3, DispatcherConfig.from(ConfigReader.of(Map.of("FERRY_DISPATCHER_DELIVERY_LANES", "3")))
        .deliveryLanes());
    for (String bad : new String[] {"0", "257", "many"}) {
      ConfigException refused = assertThrows(ConfigException.class,
          () -> DispatcherConfig.from(ConfigReader.of(Map.of("FERRY_DISPATCHER_DELIVERY_LANES", bad))));
      assertTrue(refused.getMessage().contains("dispatcher.delivery-lanes"), refused.getMessage());
    }
  }

  @Test
  void aDeadInstancesLivenessChecksAreTakenOverAfterThreeMissedHeartbeats() {
    DispatcherConfig defaults = DispatcherConfig.from(ConfigReader.of(Map.of()));
    assertEquals(1_000, defaults.peerHeartbeatMs());
    assertEquals(3_000, defaults.peerTimeoutMs());
    assertEquals(750, DispatcherConfig.from(ConfigReader.of(Map.of("FERRY_DISPATCHER_PEER_HEARTBEAT_MS", "250")))
        .peerTimeoutMs());
  }

  @Test
  void aHeartbeatTooFastForTheBusIsRefused() {
    ConfigException refused = assertThrows(ConfigException.class,
        () -> DispatcherConfig.from(ConfigReader.of(Map.of("FERRY_DISPATCHER_PEER_HEARTBEAT_MS", "10"))));
    assertTrue(refused.getMessage().contains("dispatcher.peer-heartbeat-ms"), refused.getMessage());
  }

  @Test
  void checkConfigShowsTheServiceKeysWithTheirSource() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    FerryCli<DispatcherConfig> cli = new FerryCli<>(Map.of("FERRY_DISPATCHER_RECONCILE_INTERVAL_MS", "5000"), DispatcherConfig::from,
        config -> Future.failedFuture(new StartupException("check-config starts nothing")));
    assertEquals(0, cli.run(new String[] {"check-config"}, new PrintWriter(out), new PrintWriter(err)),
        err.toString());
    assertTrue(out.toString().matches("(?s).*dispatcher\\.reconcile-interval-ms +env +5000\n.*"),
        out.toString());
  }
}
