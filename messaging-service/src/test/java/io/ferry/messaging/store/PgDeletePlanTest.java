package io.ferry.messaging.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.postgres.SchemaMigrations;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A large group of acks (10,000 of a queue's messages and pending entries) is deleted through a range of the
 * primary key, and a pull's read of bodies (and of headers) probes only its sequences' span, as custom and as
 * generic plans, on tables of 150,000 rows whose statistics are stale: a sequential scan, or a scan of the id's
 * whole range, would make every ack transaction, or every pull the body cache cannot answer, read that much.
 */
class PgDeletePlanTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ROWS_PER_ID = 50_000;
  private static final int ACKS = 10_000;

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void fillTables() {
    PostgresConfig config = TestPostgres.shared().freshSchema();
    vertx = Vertx.vertx();
    pool = PostgresPools.create(vertx, config, "plan-test");
    Futures.await(SchemaMigrations.apply(pool, config.schema(), "messaging"), WAIT);
    // Statistics taken while the tables held only another id's rows (a queue since deleted, as the bench's
    // push rows leave before its pull + ack row), as for a new queue and subscription under load: the planner
    // then thinks an id has a row or so and would rather filter them all than probe each sequence.
    Futures.await(pool.query("INSERT INTO messaging_pending SELECT 'gone', s, 1, 0, false FROM generate_series(1, "
        + ROWS_PER_ID + ") AS s").execute(), WAIT);
    Futures.await(pool.query("INSERT INTO messaging_messages SELECT 'gone', s, 'm' || s, NULL, 'text', 0, 0, "
        + "'\\x00'::bytea FROM generate_series(1, " + ROWS_PER_ID + ") AS s").execute(), WAIT);
    Futures.await(pool.query("ANALYZE messaging_pending, messaging_messages").execute(), WAIT);
    // Two ids, so that the id column is not one value the planner may ignore.
    Futures.await(pool.query("INSERT INTO messaging_pending SELECT id, s, 1, 0, false FROM "
        + "unnest(ARRAY['a', 'b']) AS id, generate_series(1, " + ROWS_PER_ID + ") AS s").execute(), WAIT);
    Futures.await(pool.query("INSERT INTO messaging_messages SELECT id, s, 'm' || s, NULL, 'text', 0, 0, "
        + "'\\x00'::bytea FROM unnest(ARRAY['a', 'b']) AS id, generate_series(1, " + ROWS_PER_ID + ") AS s")
        .execute(), WAIT);
  }

  @AfterAll
  static void close() {
    Futures.await(pool.close(), WAIT);
    Futures.await(vertx.close(), WAIT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
  void aLargeGroupOfAcksDeletesThroughThePrimaryKey(String planCacheMode) {
    StoreBatch acks = new StoreBatch();
    for (long sequence = 1; sequence <= ACKS; sequence++) {
      acks.deletePending("a", sequence * 3).deleteMessage("a", sequence * 3);
    }
    List<PgMutations.Statement> statements = PgMutations.statements(List.of(acks),
        new PgPendingFor(new HashMap<>(), true));
    assertEquals(List.of(PgMutations.DELETE_PENDINGS, PgMutations.RAISE_HEAD, PgMutations.DELETE_MESSAGES),
        statements.stream().map(PgMutations.Statement::sql).toList());
    for (PgMutations.Statement statement : statements) {
      if (statement.sql().equals(PgMutations.RAISE_HEAD)) {
        continue;
      }
      for (Tuple row : statement.rows()) {
        String plan = plan(statement.sql(), row, planCacheMode);
        assertTrue(plan.matches("(?s).*Index Cond: [^\n]*sequence >=[^\n]*sequence <=.*"), shown(plan));
        assertFalse(plan.contains("Seq Scan"), shown(plan));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
  void aPullsReadOfBodiesAndHeadersProbesOnlyItsSequencesSpan(String planCacheMode) {
    // A batch from the middle of the backlog, and a redelivery from far back (a chunk of its own).
    List<Long> pulled = List.of(3L, 25_001L, 25_002L, 25_003L, 25_004L, 25_005L, 25_006L, 25_007L, 25_008L,
        25_009L);
    List<Tuple> rows = PgSequenceChunks.of("a", pulled);
    assertEquals(2, rows.size());
    for (String sql : List.of(PgMessageStore.READ, PgMessageStore.HEADERS_OF)) {
      for (Tuple row : rows) {
        String plan = plan(sql, row, planCacheMode);
        // Probing each sequence is as good as the range; an index condition on the id alone reads its backlog.
        assertTrue(plan.matches("(?s).*Index Cond: [^\n]*sequence.*"), shown(plan));
        assertFalse(plan.contains("Seq Scan"), shown(plan));
      }
    }
  }

  // The plan a prepared statement on (id, sequences, first, last) gets for this row.
  private static String plan(String sql, Tuple row, String planCacheMode) {
    // PREPARE and EXPLAIN EXECUTE show the plan a prepared statement gets (EXPLAIN with parameters would
    // plan for the values given, as a custom plan).
    return Futures.await(pool.withConnection(connection -> connection
        .query("SET plan_cache_mode = " + planCacheMode).execute()
        .compose(set -> connection.query("PREPARE planned(text, bigint[], bigint, bigint) AS "
            + sql.replace("$2::bigint[]", "$2")).execute())
        .compose(prepared -> connection.query("EXPLAIN EXECUTE planned('" + row.getString(0) + "', '{"
            + Arrays.stream(row.getArrayOfLongs(1)).map(String::valueOf)
                .collect(Collectors.joining(",")) + "}', " + row.getLong(2) + ", " + row.getLong(3) + ")")
            .execute())
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(line -> line.getString(0))
            .collect(Collectors.joining("\n")))
        .eventually(() -> connection.query("DEALLOCATE planned").execute())), WAIT);
  }

  // The plan without its (long) array literal.
  private static String shown(String plan) {
    return plan.lines().map(line -> line.length() > 120 ? line.substring(0, 120) + "..." : line)
        .collect(Collectors.joining("\n"));
  }
}
