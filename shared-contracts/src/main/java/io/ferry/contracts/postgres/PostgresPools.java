package io.ferry.contracts.postgres;

import io.ferry.contracts.config.PostgresConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The reactive PostgreSQL pool a service's store works through. */
public final class PostgresPools {

  private PostgresPools() {
  }

  /**
   * A pool of {@code config.poolSize()} connections whose sessions run in {@code config.schema()} with
   * {@code config.statementTimeoutMs()} as statement timeout and {@code synchronous_commit} on, so a commit
   * answers only once PostgreSQL has flushed it, whatever the server's default.
   */
  public static Pool create(Vertx vertx, PostgresConfig config, String applicationName) {
    return create(vertx, config, applicationName, 0);
  }

  /**
   * As {@link #create(Vertx, PostgresConfig, String)}, and PostgreSQL ends a session that stays inside a
   * transaction without sending anything for {@code idleInTransactionMs} (0: never), rolling it back and
   * releasing its locks: a client frozen halfway through sending a transaction (SIGSTOP, a long pause) holds
   * them for no longer than that.
   */
  public static Pool create(Vertx vertx, PostgresConfig config, String applicationName, long idleInTransactionMs) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setDatabase(config.database())
        .setUser(config.user())
        .setCachePreparedStatements(true)
        .addProperty("application_name", applicationName)
        .addProperty("search_path", config.schema())
        .addProperty("statement_timeout", Long.toString(config.statementTimeoutMs()))
        .addProperty("synchronous_commit", "on")
        // Notices ("schema already exists, skipping") are not worth a log line each.
        .addProperty("client_min_messages", "warning");
    if (idleInTransactionMs > 0) {
      connect.addProperty("idle_in_transaction_session_timeout", Long.toString(idleInTransactionMs));
    }
    if (config.password() != null) {
      connect.setPassword(config.password());
    }
    PoolOptions pool = new PoolOptions()
        .setMaxSize(config.poolSize())
        .setName(applicationName + "-" + config.schema())
        .setShared(false)
        // Bounded: while the database is away, requests fail UNAVAILABLE quickly instead of piling up.
        .setMaxWaitQueueSize(4096)
        // Longer than the TCP connect timeout, never equal: when both fire on the same tick, Vert.x 5.0.10's
        // pool completes the waiter with a null lease and the request never completes (start-up hung on it).
        .setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, 2 * config.connectTimeoutMs() + 1_000))
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setIdleTimeout(60)
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    NetClientOptions tcp = new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMs()))
        .setTcpKeepAlive(true)
        .setTcpNoDelay(true);
    return PgBuilder.pool().with(pool).with(tcp).connectingTo(connect).using(vertx).build();
  }
}
