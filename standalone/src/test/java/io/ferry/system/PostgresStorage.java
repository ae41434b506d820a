package io.ferry.system;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.testkit.TestPostgres;
import java.util.HashMap;
import java.util.Map;

/** The FERRY_* environment that puts a Ferry process's storage on PostgreSQL, as a user would configure it. */
final class PostgresStorage {

  private PostgresStorage() {
  }

  /** Storage on a schema of its own on the test JVM's shared server. */
  static Map<String, String> freshSchema() {
    TestPostgres server = TestPostgres.shared();
    return env(server, server.freshSchema());
  }

  /** Storage on {@code pg}'s schema of {@code server}. */
  static Map<String, String> env(TestPostgres server, PostgresConfig pg) {
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_STORAGE_KIND", "postgres");
    env.put("FERRY_STORAGE_POSTGRES_URL", server.url());
    env.put("FERRY_STORAGE_POSTGRES_PASSWORD", server.password());
    env.put("FERRY_STORAGE_POSTGRES_SCHEMA", pg.schema());
    return env;
  }
}
