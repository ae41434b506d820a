package io.ferry.messaging.store;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
  /** The shards of the stores {@link #owningEveryShard} opens. */
  static final int SHARDS = 8;
  /** A listener for stores alone on their schema, which gain every shard at start and never lose one. */
  static final ShardOwnership.Listener ALONE = new ShardOwnership.Listener() {
    @Override
    public void gained(Set<Integer> shards) {
    }

    @Override
    public void releasing(Set<Integer> shards) {
    }

    @Override
    public void lost(Set<Integer> shards) {
    }
  };

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

  /** The store {@code opening} opens, once it owns every one of {@link #SHARDS} shards (alone on its schema). */
  static PgMessageStore owningEveryShard(Future<PgMessageStore> opening) {
    PgMessageStore store = Futures.await(opening, WAIT);
    Futures.await(store.shardOwnership(SHARDS).start(ALONE), WAIT);
    return store;
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

  /** Whether backend {@code pid} waits for a lock another backend holds. */
  boolean waits(int pid) {
    return Futures.await(observer.preparedQuery("SELECT cardinality(pg_blocking_pids($1))").execute(Tuple.of(pid)),
        WAIT).iterator().next().getInteger(0) > 0;
  }

  /** A connection of the test's holding the queue's row locked, so that a commit writing it waits in its transaction. */
  SqlConnection lockQueueRow(String queueId) {
    SqlConnection locker = Futures.await(observer.getConnection(), WAIT);
    Futures.await(locker.query("BEGIN").execute(), WAIT);
    Futures.await(locker.preparedQuery("SELECT 1 FROM messaging_queues WHERE queue_id = $1 FOR UPDATE")
        .execute(Tuple.of(queueId)), WAIT);
    return locker;
  }

  static QueueInfo queue(String id) {
    return new QueueInfo(id, "acct", "q-" + id, 1, 1, QueueSettings.DEFAULTS);
  }

  static StoredMessage message(String queueId, long sequence) {
    return new StoredMessage(Ids.newId(), queueId, sequence, null, ContentType.TEXT,
        ("m" + sequence).getBytes(StandardCharsets.UTF_8), 1_000, 2_000);
  }

  /** The sequences stored for the queue, in order. */
  List<Long> stored(String queueId) {
    List<Long> sequences = new ArrayList<>();
    Futures.await(observer.preparedQuery("SELECT sequence FROM messaging_messages WHERE queue_id = $1 ORDER BY sequence")
        .execute(Tuple.of(queueId)), WAIT).forEach(row -> sequences.add(row.getLong(0)));
    return sequences;
  }
}
