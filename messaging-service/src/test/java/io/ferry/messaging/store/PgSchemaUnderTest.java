package io.ferry.messaging.store;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh schema on the shared throwaway PostgreSQL per test, a Vert.x instance to open stores on, and a pool
 * of the test's own that looks at the database behind the stores' back: what is stored, and which backend
 * waits for which. Register as an instance field with {@code @RegisterExtension}.
 */
final class PgSchemaUnderTest implements BeforeEachCallback, AfterEachCallback {

  static final Duration WAIT = Duration.ofSeconds(30);

  final PostgresConfig config = TestPostgres.shared().freshSchema();
  Vertx vertx;
  Pool observer;

  @Override
  public void beforeEach(ExtensionContext context) {
    vertx = Vertx.vertx();
    observer = PostgresPools.create(vertx, config, "observer");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Futures.await(observer.close(), WAIT);
    Futures.await(vertx.close(), WAIT);
  }

  /** The backend process of {@code connection}. */
  static int pid(SqlConnection connection) {
    return Futures.await(connection.query("SELECT pg_backend_pid()").execute(), WAIT).iterator().next().getInteger(0);
  }

  /** How many backends wait for a lock that backend {@code pid} holds. */
  int blockedBy(int pid) {
    return Futures.await(observer.preparedQuery("SELECT count(*) FROM pg_stat_activity"
        + " WHERE $1 = ANY(pg_blocking_pids(pid))").execute(Tuple.of(pid)), WAIT).iterator().next().getInteger(0);
  }

  /** The sequences stored for the queue, in order. */
  List<Long> stored(String queueId) {
    List<Long> sequences = new ArrayList<>();
    Futures.await(observer.preparedQuery("SELECT sequence FROM messaging_messages WHERE queue_id = $1 ORDER BY sequence")
        .execute(Tuple.of(queueId)), WAIT).forEach(row -> sequences.add(row.getLong(0)));
    return sequences;
  }
}
