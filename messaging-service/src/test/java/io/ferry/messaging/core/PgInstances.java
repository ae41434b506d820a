package io.ferry.messaging.core;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.TestPostgres;
import io.ferry.messaging.store.PgMessageStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Messaging instances sharing a fresh schema of the throwaway PostgreSQL, each a {@link PgMessageStore} with its
 * real shard leases and an engine on {@link #clock}, and a pool of the test's own that looks at (and arranges)
 * the tables behind their back. Register as an instance field with {@code @RegisterExtension}.
 */
final class PgInstances implements BeforeEachCallback, AfterEachCallback {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final int SHARDS = 8;
  static final long LEASE_MS = 3_000;

  final PostgresConfig config = TestPostgres.shared().freshSchema();
  final ManualClock clock = new ManualClock(1_000_000);
  final ShardMap map = new ShardMap(SHARDS);
  private final List<PgMessageStore> stores = new ArrayList<>();
  Vertx vertx;
  Pool observer;

  @Override
  public void beforeEach(ExtensionContext context) {
    vertx = Vertx.vertx();
    observer = PostgresPools.create(vertx, config, "observer");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stores.forEach(store -> Futures.await(store.close(), WAIT));
    Futures.await(observer.close(), WAIT);
    Futures.await(vertx.close(), WAIT);
  }

  /** A store of instance {@code name} on the schema (its tables migrated), its leases not started yet. */
  PgMessageStore open(String name) {
    PgMessageStore store = Futures.await(PgMessageStore.open(vertx, config, PgMessageStore.DEFAULT_BODY_CACHE_BYTES,
        Integer.MAX_VALUE, PgMessageStore.DEFAULT_PUSH_TRANSACTIONS, LEASE_MS, name), WAIT);
    stores.add(store);
    return store;
  }

  /** The engine of {@code store}, once the first round of its leases is done and the shards it gained serve. */
  Future<MessagingEngine> start(PgMessageStore store) {
    return start(store, ShardLinks.none());
  }

  /** As {@link #start(PgMessageStore)}, reaching the shards it does not own through {@code links}. */
  Future<MessagingEngine> start(PgMessageStore store, ShardLinks links) {
    List<Context> contexts = List.of(((VertxInternal) vertx).createEventLoopContext(),
        ((VertxInternal) vertx).createEventLoopContext());
    Promise<MessagingEngine> started = Promise.promise();
    contexts.get(0).runOnContext(v -> MessagingEngine.start(vertx, store, clock, batch -> { }, event -> { },
        MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES, map, contexts, store.shardOwnership(SHARDS),
        links).onComplete(started));
    return started.future();
  }

  /** Runs a statement on the schema behind the stores' back. */
  List<Row> sql(String statement, Object... arguments) {
    List<Row> rows = new ArrayList<>();
    Futures.await(observer.preparedQuery(statement).execute(Tuple.from(arguments)), WAIT).forEach(rows::add);
    return rows;
  }

  long count(String statement, Object... arguments) {
    return sql(statement, arguments).get(0).getLong(0);
  }
}
