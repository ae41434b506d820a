package io.ferry.contracts.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.postgres.SchemaMigrations.Migration;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaMigrationsTest {

  private static final List<Migration> TWO = List.of(
      new Migration(1, "CREATE TABLE things (id text PRIMARY KEY); INSERT INTO things VALUES ('first');"),
      new Migration(2, "ALTER TABLE things ADD COLUMN size integer NOT NULL DEFAULT 0;"));

  private Vertx vertx;
  private PostgresConfig config;
  private final List<Pool> pools = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    config = TestPostgres.shared().freshSchema();
  }

  @AfterEach
  void stop() throws Exception {
    for (Pool pool : pools) {
      pool.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void instancesStartingTogetherApplyEachMigrationOnce() throws Exception {
    List<Future<Integer>> starts = new ArrayList<>();
    for (int instance = 0; instance < 4; instance++) {
      starts.add(SchemaMigrations.apply(pool(), config.schema(), "demo", TWO));
    }
    for (Future<Integer> start : starts) {
      assertEquals(2, start.await(30, TimeUnit.SECONDS));
    }

    assertEquals(List.of("first:0"), rows("SELECT id || ':' || size FROM " + config.schema() + ".things"));
    assertEquals(List.of("1", "2"), rows("SELECT version::text FROM " + config.schema()
        + ".demo_schema_version ORDER BY version"));
  }

  @Test
  void aLaterBuildAppliesOnlyWhatIsNew() throws Exception {
    SchemaMigrations.apply(pool(), config.schema(), "demo", TWO.subList(0, 1)).await(30, TimeUnit.SECONDS);
    assertEquals(2, SchemaMigrations.apply(pool(), config.schema(), "demo", TWO).await(30, TimeUnit.SECONDS));
    assertEquals(List.of("first:0"), rows("SELECT id || ':' || size FROM " + config.schema() + ".things"));
  }

  @Test
  void tablesOfANewerBuildAreRefusedAndLeftAlone() throws Exception {
    SchemaMigrations.apply(pool(), config.schema(), "demo", TWO).await(30, TimeUnit.SECONDS);

    Exception refused = assertThrows(Exception.class,
        () -> SchemaMigrations.apply(pool(), config.schema(), "demo", TWO.subList(0, 1)).await(30, TimeUnit.SECONDS));
    assertTrue(refused.getMessage().contains("version 2, written by a newer Ferry"), refused.getMessage());
    assertEquals(2, SchemaMigrations.currentVersion(pool(), config.schema(), "demo").await(10, TimeUnit.SECONDS));
  }

  @Test
  void aFailingMigrationLeavesNothingBehind() throws Exception {
    List<Migration> broken = List.of(TWO.get(0), new Migration(2, "ALTER TABLE things ADD COLUMN size nonsense_type;"));

    assertThrows(Exception.class,
        () -> SchemaMigrations.apply(pool(), config.schema(), "demo", broken).await(30, TimeUnit.SECONDS));

    assertEquals(List.of("0"), rows("SELECT count(*)::text FROM information_schema.tables WHERE table_schema = '"
        + config.schema() + "' AND table_name = 'things'"));
    assertEquals(2, SchemaMigrations.apply(pool(), config.schema(), "demo", TWO).await(30, TimeUnit.SECONDS));
  }

  @Test
  void theServiceMigrationsOnTheClassPathAreNumberedWithoutGaps() {
    assertEquals(List.of(), SchemaMigrations.onClassPath("no-such-service"));
  }

  private Pool pool() {
    Pool pool = PostgresPools.create(vertx, config, "migrations-test");
    pools.add(pool);
    return pool;
  }

  private List<String> rows(String sql) throws Exception {
    List<String> values = new ArrayList<>();
    for (Row row : pool().query(sql).execute().await(10, TimeUnit.SECONDS)) {
      values.add(row.getString(0));
    }
    return values;
  }
}
