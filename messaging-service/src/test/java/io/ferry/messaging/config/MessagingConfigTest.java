package io.ferry.messaging.config;

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
class MessagingConfigTest {

  @Test
  void listensOnItsOwnDefaultPort() {
    assertEquals(8082, MessagingConfig.from(ConfigReader.of(Map.of())).node().http().port());
  }

  @Test
  void theBodyCacheHasADefaultBoundPerStorageKindAndMayBeTurnedOff() {
    assertEquals(32L << 20, MessagingConfig.from(ConfigReader.of(Map.of())).bodyCacheBytes());
    assertEquals(64L << 20, MessagingConfig.from(ConfigReader.of(Map.of("FERRY_STORAGE_KIND", "postgres",
        "FERRY_STORAGE_POSTGRES_URL", "postgresql://ferry@localhost/ferry"))).bodyCacheBytes());
    assertEquals(0, MessagingConfig.from(ConfigReader.of(Map.of("FERRY_MESSAGING_BODY_CACHE_BYTES", "0")))
        .bodyCacheBytes());
  }

  @Test
  void queuesAreSplitIntoSixtyFourShardsUnlessConfigured() {
    assertEquals(64, MessagingConfig.from(ConfigReader.of(Map.of())).shards());
    assertEquals(8, MessagingConfig.from(ConfigReader.of(Map.of("FERRY_MESSAGING_SHARDS", "8"))).shards());
  }

  @Test
  void aShardCountOutsideOneTo4096IsRefusedNamingTheKey() {
    for (String bad : new String[] {"0", "4097", "many"}) {
      ConfigException refused = assertThrows(ConfigException.class,
          () -> MessagingConfig.from(ConfigReader.of(Map.of("FERRY_MESSAGING_SHARDS", bad))));
      assertTrue(refused.getMessage().contains("messaging.shards"), refused.getMessage());
    }
  }

  @Test
  void aShardLeaseLastsTenSecondsUnlessConfiguredWithinOneSecondToTenMinutes() {
    assertEquals(10_000, MessagingConfig.from(ConfigReader.of(Map.of())).shardLeaseMs());
    assertEquals(3_000,
        MessagingConfig.from(ConfigReader.of(Map.of("FERRY_MESSAGING_SHARD_LEASE_MS", "3000"))).shardLeaseMs());
    for (String bad : new String[] {"999", "600001", "long"}) {
      ConfigException refused = assertThrows(ConfigException.class,
          () -> MessagingConfig.from(ConfigReader.of(Map.of("FERRY_MESSAGING_SHARD_LEASE_MS", bad))));
      assertTrue(refused.getMessage().contains("messaging.shard-lease-ms"), refused.getMessage());
    }
  }

  @Test
  void aRequestWaitsFiveSecondsForAShardOwnerUnlessConfigured() {
    assertEquals(5_000, MessagingConfig.from(ConfigReader.of(Map.of())).forwardWaitMs());
    assertEquals(250, MessagingConfig.from(ConfigReader.of(Map.of("FERRY_MESSAGING_FORWARD_WAIT_MS", "250")))
        .forwardWaitMs());
    ConfigException refused = assertThrows(ConfigException.class,
        () -> MessagingConfig.from(ConfigReader.of(Map.of("FERRY_MESSAGING_FORWARD_WAIT_MS", "-1"))));
    assertTrue(refused.getMessage().contains("messaging.forward-wait-ms"), refused.getMessage());
  }

  @Test
  void pushesGoOneTransactionAtATimePerWriterUnlessConfiguredWithinOneTo64() {
    assertEquals(1, MessagingConfig.from(ConfigReader.of(Map.of())).postgresPushTransactions());
    assertEquals(4, MessagingConfig.from(ConfigReader.of(Map.of("FERRY_MESSAGING_POSTGRES_PUSH_TRANSACTIONS", "4")))
        .postgresPushTransactions());
    for (String bad : new String[] {"0", "65"}) {
      ConfigException refused = assertThrows(ConfigException.class, () -> MessagingConfig.from(
          ConfigReader.of(Map.of("FERRY_MESSAGING_POSTGRES_PUSH_TRANSACTIONS", bad))));
      assertTrue(refused.getMessage().contains("messaging.postgres-push-transactions"), refused.getMessage());
    }
  }

  @Test
  void checkConfigShowsTheServiceKeysWithTheirSource() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    FerryCli<MessagingConfig> cli = new FerryCli<>(Map.of("FERRY_MESSAGING_LEASE_SWEEP_MS", "500"), MessagingConfig::from,
        config -> Future.failedFuture(new StartupException("check-config starts nothing")));
    assertEquals(0, cli.run(new String[] {"check-config"}, new PrintWriter(out), new PrintWriter(err)),
        err.toString());
    assertTrue(out.toString().matches("(?s).*messaging\\.lease-sweep-ms +env +500\n.*"), out.toString());
  }
}
