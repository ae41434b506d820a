package io.ferry.contracts.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client frozen inside a transaction (SIGSTOP halfway through sending it) keeps its row locks for as long as
 * it stays frozen, unless PostgreSQL ends the session: a pool asked to bound it has its sessions ended.
 */
class PostgresPoolsTest {

  private Vertx vertx;
  private PostgresConfig config;
  private final List<Pool> pools = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    config = TestPostgres.shared().freshSchema();
    Pool setup = pool(0);
    setup.query("CREATE SCHEMA " + config.schema() + "; CREATE TABLE " + config.schema()
        + ".leases (shard integer PRIMARY KEY); INSERT INTO " + config.schema() + ".leases VALUES (1), (2)").execute()
        .await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    for (Pool pool : pools) {
      pool.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aSessionLeftInsideATransactionIsEndedAndItsLocksGoAfterTheBound() throws Exception {
    SqlConnection frozen = pool(500).getConnection().await(30, TimeUnit.SECONDS);
    frozen.query("BEGIN").execute().await(30, TimeUnit.SECONDS);
    frozen.query("SELECT shard FROM leases WHERE shard = 1 FOR KEY SHARE").execute().await(30, TimeUnit.SECONDS);
    // ...and sends nothing more.
    Pool claimer = pool(0);
    assertEquals(List.of(2), claimable(claimer), "locked while the transaction is open");

    Awaitility.await("the frozen session's lock released").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100)).until(() -> claimable(claimer).equals(List.of(1, 2)));
  }

  // As a shard claim picks its rows: those nobody holds a lock on.
  private static List<Integer> claimable(Pool pool) throws Exception {
    List<Integer> shards = new ArrayList<>();
    pool.withTransaction(connection -> connection.query(
        "SELECT shard FROM leases ORDER BY shard FOR UPDATE SKIP LOCKED").execute()).await(30, TimeUnit.SECONDS).forEach((Row row) -> shards.add(row.getInteger(0)));
    return shards;
  }

  private Pool pool(long idleInTransactionMs) {
    Pool pool = PostgresPools.create(vertx, config, "pools-test", idleInTransactionMs);
    pools.add(pool);
    return pool;
  }
}
