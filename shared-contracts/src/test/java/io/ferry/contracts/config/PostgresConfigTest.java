package io.ferry.contracts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresConfigTest {

  @TempDir
  Path dir;

  @Test
  void rocksdbIsTheDefaultAndCarriesNoDatabaseSettings() {
    StorageConfig storage = StorageConfig.from(ConfigReader.of(Map.of()));
    assertEquals(StorageConfig.Kind.ROCKSDB, storage.kind());
    assertNull(storage.postgres());
  }

  @Test
  void aUrlNamesServerDatabaseAndUserAndThePasswordComesFromTheEnvironment() {
    StorageConfig storage = StorageConfig.from(ConfigReader.of(Map.of(
        "FERRY_STORAGE_KIND", "postgres",
        "FERRY_STORAGE_POSTGRES_URL", "postgresql://queue_owner@db.internal:6543/queues",
        "FERRY_STORAGE_POSTGRES_PASSWORD", "s3cret",
        "FERRY_STORAGE_POSTGRES_POOL_SIZE", "16")));

    PostgresConfig pg = storage.postgres();
    assertEquals(StorageConfig.Kind.POSTGRES, storage.kind());
    assertEquals(new PostgresConfig("db.internal", 6543, "queues", "queue_owner", "s3cret", "ferry", 16, 10_000,
        5_000), pg);
    assertFalse(storage.toString().contains("s3cret"), storage.toString());
  }

  @Test
  void thePasswordFileIsReadWithoutItsTrailingNewline() throws Exception {
    Path secret = Files.writeString(dir.resolve("password"), "from-a-secret\n");
    PostgresConfig pg = PostgresConfig.from(ConfigReader.of(Map.of(
        "FERRY_STORAGE_POSTGRES_HOST", "pg", "FERRY_STORAGE_POSTGRES_PASSWORD_FILE", secret.toString())));
    assertEquals("from-a-secret", pg.password());
    assertEquals("pg", pg.host());
    assertEquals(5432, pg.port());
  }

  @Test
  void aPasswordInTheUrlIsRefusedSoItNeverLandsInAConfigFile() {
    ConfigException refused = assertThrows(ConfigException.class, () -> PostgresConfig.from(ConfigReader.of(Map.of(
        "FERRY_STORAGE_POSTGRES_URL", "postgresql://u:pw@h/db"))));
    assertTrue(refused.getMessage().contains("must not carry a password"), refused.getMessage());
  }

  @Test
  void malformedValuesNameTheirKey() {
    assertTrue(assertThrows(ConfigException.class, () -> PostgresConfig.from(ConfigReader.of(Map.of(
        "FERRY_STORAGE_POSTGRES_URL", "mysql://h/db")))).getMessage().contains("storage.postgres.url"));
    assertTrue(assertThrows(ConfigException.class, () -> PostgresConfig.from(ConfigReader.of(Map.of(
        "FERRY_STORAGE_POSTGRES_SCHEMA", "Robert'); DROP")))).getMessage().contains("storage.postgres.schema"));
    assertTrue(assertThrows(ConfigException.class, () -> PostgresConfig.from(ConfigReader.of(Map.of(
        "FERRY_STORAGE_POSTGRES_PASSWORD_FILE", dir.resolve("missing").toString())))).getMessage()
        .contains("password-file"));
    assertTrue(assertThrows(ConfigException.class, () -> StorageConfig.from(ConfigReader.of(Map.of(
        "FERRY_STORAGE_KIND", "oracle")))).getMessage().contains("[rocksdb, postgres]"));
  }
}
