package io.ferry.messaging.store;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.postgres.PostgresFailures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's claim to write a schema's messaging tables. The owner holds a session advisory lock on a
 * connection of its own (not the pool's) and, holding it, raised {@code messaging_owner.epoch}: the epoch is
 * the fencing token every write transaction checks ({@link PgGroupCommit}), so once another instance has
 * raised it, nothing this one sends commits. PostgreSQL ends the lock with the session: at once when the
 * holder's process dies (its socket closes), within about 30 s when the holder is cut off (server-side TCP
 * keepalive). When this instance's session ends, commits are refused and the claim is sought again in the
 * background; the in-memory state built under an epoch may keep writing under the next one only if no other
 * instance owned the schema in between (the epoch rose by exactly one), otherwise a {@link PgMessageStore#load}
 * under the new epoch must come first.
 */
final class PgOwnership {

  private static final Logger LOG = LoggerFactory.getLogger(PgOwnership.class);
  /** How long start waits for another instance to let go of the schema before giving up. */
  static final Duration START_WAIT = Duration.ofSeconds(60);
  static final String APPLICATION_NAME = "ferry-messaging-owner";
  /**
   * Locks the owner row against a takeover until the transaction ends; its epoch must be the writer's. FOR SHARE,
   * so that the transactions of several writers hold it at once (see {@link PgGroupCommit}).
   */
  static final String EPOCH_CHECK = "SELECT epoch FROM messaging_owner WHERE shard = 0 FOR SHARE";
  /**
   * {@link #EPOCH_CHECK} that fails (division by zero, {@link #NOT_THE_EPOCH}) unless the epoch is {@code $1},
   * so that it aborts the transaction it runs in and the statements pipelined behind it change nothing.
   */
  static final String EPOCH_FENCE = "SELECT 1 / coalesce((SELECT (epoch = $1)::integer FROM messaging_owner"
      + " WHERE shard = 0 FOR SHARE), 0)";
  /** The SQLSTATE of {@link #EPOCH_FENCE} finding another epoch (division_by_zero). */
  static final String NOT_THE_EPOCH = "22012";
  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended($1, 0)),"
      + " (SELECT owner FROM messaging_owner WHERE shard = 0)";
  private static final String RAISE = "UPDATE messaging_owner SET epoch = epoch + 1, owner = $1, since = now()"
      + " WHERE shard = 0 RETURNING epoch";
  private static final long FIRST_POLL_MS = 50;
  private static final long MAX_POLL_MS = 1_000;
  private static final long LOG_WAITING_EVERY_MS = 5_000;
  private static final long HEARTBEAT_MS = 5_000;
  private static final long HEARTBEAT_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final PgConnectOptions connect;
  private final long connectTimeoutMs;
  private final String schema;
  private final String lockName;
  private final String owner;

  // The session holding the lock while this instance owns the schema; null otherwise.
  private PgConnection session;
  private volatile long epoch;
  private volatile long loadedEpoch;
  private long lostEpoch;
  private long heartbeat = -1;
  private boolean seeking;
  private boolean closed;

  PgOwnership(Vertx vertx, PostgresConfig pg) {
    this.vertx = vertx;
    this.schema = pg.schema();
    this.lockName = "ferry-messaging-owner:" + pg.schema();
    this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    this.connectTimeoutMs = pg.connectTimeoutMs();
    this.connect = new PgConnectOptions()
        .setHost(pg.host())
        .setPort(pg.port())
        .setDatabase(pg.database())
        .setUser(pg.user())
        .addProperty("application_name", APPLICATION_NAME)
        .addProperty("search_path", pg.schema())
        .addProperty("statement_timeout", Long.toString(pg.statementTimeoutMs()))
        // The server drops a cut-off holder's session, and so its lock, after 10 + 4 * 5 = 30 s of silence.
        .addProperty("tcp_keepalives_idle", "10")
        .addProperty("tcp_keepalives_interval", "5")
        .addProperty("tcp_keepalives_count", "4")
        .addProperty("tcp_user_timeout", "30000")
        // The session sits idle between heartbeats: a server-wide idle timeout must not end it.
        .addProperty("idle_session_timeout", "0")
        .addProperty("client_min_messages", "warning");
    if (pg.password() != null) {
      connect.setPassword(pg.password());
    }
  }

  /** Becomes the owner, waiting up to {@code bound} for another instance to let go. */
  Future<Void> acquire(Duration bound) {
    synchronized (this) {
      seeking = true;
    }
    Promise<Void> owned = Promise.promise();
    new Seeker(owned, System.nanoTime() + bound.toNanos(), true).step();
    return owned.future();
  }

  /** The epoch this instance owns the schema under; 0 when it does not. */
  long epoch() {
    return epoch;
  }

  /** The epoch a commit may be written under: owned, and the one the caller's state was loaded under; or 0. */
  long writableEpoch() {
    long owned = epoch;
    return owned != 0 && owned == loadedEpoch ? owned : 0;
  }

  /** The caller's state now reflects everything committed up to {@code at}. */
  void loaded(long at) {
    loadedEpoch = at;
  }

  /** Why a commit was refused without being sent. */
  FerryException refusal() {
    return epoch == 0 ? notOwner() : new FerryException(ErrorCode.UNAVAILABLE,
        "another messaging instance wrote schema " + schema + " since this one loaded its state; it reloads first");
  }

  FerryException notOwner() {
    return new FerryException(ErrorCode.UNAVAILABLE, "this messaging instance does not own schema " + schema
        + " now (its database session ended, or another instance took it over); it is taking it back");
  }

  /** A write saw another epoch than {@code at}: someone else took over, so this session's lock is gone. */
  void deposed(long at) {
    PgConnection ended;
    synchronized (this) {
      if (at != epoch || session == null) {
        return;
      }
      ended = session;
    }
    LOG.warn("another messaging instance took over schema {} (epoch {} is no longer current)", schema, at);
    ended.close();
    sessionEnded(ended);
  }

  /** Lets go of the schema: ends the lock's session. */
  Future<Void> close() {
    PgConnection ended;
    synchronized (this) {
      closed = true;
      epoch = 0;
      ended = session;
      session = null;
      if (heartbeat != -1) {
        vertx.cancelTimer(heartbeat);
      }
    }
    return ended == null ? Future.succeededFuture() : ended.close().otherwiseEmpty();
  }

  private void sessionEnded(PgConnection ended) {
    synchronized (this) {
      if (ended != session) {
        return;
      }
      session = null;
      lostEpoch = epoch;
      epoch = 0;
      if (heartbeat != -1) {
        vertx.cancelTimer(heartbeat);
        heartbeat = -1;
      }
      if (closed || seeking) {
        return;
      }
      seeking = true;
    }
    LOG.warn("the database session holding the ownership of schema {} ended; commits are refused until this "
        + "instance owns it again", schema);
    new Seeker(Promise.promise(), Long.MAX_VALUE, false).step();
  }

  private synchronized boolean become(PgConnection won, long raised, boolean first) {
    seeking = false;
    if (closed) {
      return false;
    }
    session = won;
    // The first time, the caller has no state yet: whatever it builds, it reads from the store from now on.
    if (first) {
      loadedEpoch = raised;
    }
    // Raised by exactly one since this instance lost it: nobody else owned the schema meanwhile, so nobody
    // else wrote, and the state loaded under the lost epoch is still the database's.
    if (lostEpoch != 0 && raised == lostEpoch + 1 && loadedEpoch == lostEpoch) {
      loadedEpoch = raised;
    }
    epoch = raised;
    scheduleHeartbeat(won);
    return true;
  }

  // A cut-off session may look open for a long time: one that stops answering is given up, so that this
  // instance stops claiming the schema the server may already have handed to another.
  private void scheduleHeartbeat(PgConnection held) {
    heartbeat = vertx.setTimer(HEARTBEAT_MS, id -> {
      Promise<Void> answered = Promise.promise();
      long timeout = vertx.setTimer(HEARTBEAT_TIMEOUT_MS, t -> answered.tryFail("no answer"));
      held.query("SELECT 1").execute().onComplete(done -> {
        if (done.succeeded()) {
          answered.tryComplete();
        } else {
          answered.tryFail(done.cause());
        }
      });
      answered.future().onComplete(done -> {
        vertx.cancelTimer(timeout);
        synchronized (this) {
          if (held != session) {
            return;
          }
          if (done.succeeded()) {
            scheduleHeartbeat(held);
            return;
          }
        }
        LOG.warn("the database session holding the ownership of schema {} does not answer ({})", schema,
            done.cause().getMessage());
        held.close();
        sessionEnded(held);
      });
    });
  }

  private Future<PgConnection> open() {
    Promise<PgConnection> opened = Promise.promise();
    long timeout = vertx.setTimer(connectTimeoutMs, id -> opened.tryFail(new FerryException(ErrorCode.UNAVAILABLE,
        "no connection to the database within " + connectTimeoutMs + " ms")));
    PgConnection.connect(vertx, connect).onComplete(connected -> {
      vertx.cancelTimer(timeout);
      if (connected.failed()) {
        opened.tryFail(connected.cause());
      } else if (!opened.tryComplete(connected.result())) {
        connected.result().close();
      }
    });
    return opened.future();
  }

  /** One round of seeking the lock: connect, try the lock, poll while another holds it, then raise the epoch. */
  private final class Seeker {
    private final Promise<Void> owned;
    private final long deadline;
    private final boolean first;
    private final long started = System.nanoTime();
    private PgConnection candidate;
    private long pollMs = FIRST_POLL_MS;
    private long nextLog = System.nanoTime() + LOG_WAITING_EVERY_MS * 1_000_000;

    Seeker(Promise<Void> owned, long deadline, boolean first) {
      this.owned = owned;
      this.deadline = deadline;
      this.first = first;
    }

    void step() {
      synchronized (PgOwnership.this) {
        if (closed) {
          seeking = false;
          drop();
          owned.tryFail(new FerryException(ErrorCode.UNAVAILABLE, "message store is closed"));
          return;
        }
      }
      if (candidate == null) {
        open().onComplete(connected -> {
          if (connected.failed()) {
            retry(connected.cause());
          } else {
            candidate = connected.result();
            PgConnection mine = candidate;
            mine.closeHandler(v -> sessionEnded(mine));
            // Its end is handled by the close handler; the exception itself is not worth a stack trace.
            mine.exceptionHandler(e -> LOG.debug("ownership session of schema {} failed: {}", schema, e.toString()));
            step();
          }
        });
        return;
      }
      candidate.preparedQuery(TRY_LOCK).execute(Tuple.of(lockName)).onComplete(tried -> {
        if (tried.failed()) {
          retry(tried.cause());
          return;
        }
        Row row = tried.result().iterator().next();
        if (row.getBoolean(0)) {
          raise();
        } else {
          heldElsewhere(row.getString(1));
        }
      });
    }

    // Holding the lock; the raise waits for the transaction a previous owner may still have in flight.
    private void raise() {
      PgConnection won = candidate;
      won.preparedQuery(RAISE).execute(Tuple.of(owner)).onComplete(raised -> {
        if (raised.failed()) {
          retry(raised.cause());
          return;
        }
        if (raised.result().size() != 1) {
          retry(new IllegalStateException("messaging_owner has no row for shard 0"));
          return;
        }
        long at = raised.result().iterator().next().getLong(0);
        candidate = null;
        if (!become(won, at, first)) {
          won.close();
          owned.tryFail(new FerryException(ErrorCode.UNAVAILABLE, "message store is closed"));
          return;
        }
        LOG.info("this messaging instance ({}) owns schema {} under epoch {}", owner, schema, at);
        owned.tryComplete();
      });
    }

    private void heldElsewhere(String holder) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        drop();
        synchronized (PgOwnership.this) {
          seeking = false;
        }
        owned.tryFail(new FerryException(ErrorCode.UNAVAILABLE, "another messaging instance (" + holder
            + ") has held schema " + schema + " for " + Duration.ofNanos(now - started).toSeconds()
            + " s: two messaging instances cannot share a schema; stop the other one or give each its own "
            + "storage.postgres.schema"));
        return;
      }
      if (now - nextLog >= 0) {
        LOG.info("waiting for the messaging instance that holds schema {} ({}) to let go", schema, holder);
        nextLog = now + LOG_WAITING_EVERY_MS * 1_000_000;
      }
      vertx.setTimer(pollMs, id -> step());
      pollMs = Math.min(MAX_POLL_MS, pollMs * 2);
    }

    private void retry(Throwable cause) {
      drop();
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        synchronized (PgOwnership.this) {
          seeking = false;
        }
        owned.tryFail(PostgresFailures.toFerry(cause, "taking the ownership of schema " + schema));
        return;
      }
      if (now - nextLog >= 0) {
        LOG.warn("cannot take the ownership of schema {} yet: {}", schema, cause.getMessage());
        nextLog = now + LOG_WAITING_EVERY_MS * 1_000_000;
      }
      vertx.setTimer(pollMs, id -> step());
      pollMs = Math.min(MAX_POLL_MS, pollMs * 2);
    }

    private void drop() {
      if (candidate != null) {
        candidate.close();
        candidate = null;
      }
    }
  }
}
