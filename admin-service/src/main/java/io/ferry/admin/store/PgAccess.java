package io.ferry.admin.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.postgres.PostgresFailures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

// What every area of PgAdminStore shares: the pool, the seal for secrets, and how a failure becomes the error a
// request answers. Areas map the constraint violations they expect themselves; anything else goes through
// PostgresFailures (UNAVAILABLE while the database is away, OUTCOME_UNKNOWN for a COMMIT whose answer was lost).
final class PgAccess {

  // Lists are in creation order; the id breaks ties the same way on every instance, whatever the collation.
  static final String CREATION_ORDER = " ORDER BY created_at_ms, id COLLATE \"C\"";

  final SecretSeal seal;
  private final Vertx vertx;
  private final Pool pool;
  private volatile boolean open = true;

  PgAccess(Vertx vertx, Pool pool, SecretSeal seal) {
    this.vertx = vertx;
    this.pool = pool;
    this.seal = seal;
  }

  boolean isOpen() {
    return open;
  }

  Future<Void> close() {
    open = false;
    return pool.close();
  }

  Future<Void> probe() {
    return run("probing the database", pool -> pool.query("SELECT 1").execute().mapEmpty());
  }

  /** Runs {@code work} on the pool; its result or failure reaches the caller on the caller's context. */
  <T> Future<T> run(String doing, Function<Pool, Future<T>> work) {
    if (!open) {
      return Future.failedFuture(closed());
    }
    Context caller = vertx.getOrCreateContext();
    Promise<T> answer = Promise.promise();
    Future<T> done;
    try {
      done = work.apply(pool);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(result -> {
      Runnable complete = () -> {
        if (result.succeeded()) {
          answer.complete(result.result());
        } else {
          answer.fail(open ? PostgresFailures.toFerry(result.cause(), doing) : closed());
        }
      };
      if (Vertx.currentContext() == caller) {
        complete.run();
      } else {
        caller.runOnContext(v -> complete.run());
      }
    });
    return answer.future();
  }

  /**
   * Runs {@code work} in one transaction: committed when its future succeeds, rolled back otherwise. A COMMIT
   * sent whose answer is lost fails OUTCOME_UNKNOWN, not UNAVAILABLE: the change may be stored, and a client
   * told "nothing happened, retry" would make it again (a second audit entry or attempt, say).
   */
  <T> Future<T> inTransaction(String doing, Function<SqlConnection, Future<T>> work) {
    return run(doing, pool -> pool.withConnection(connection -> connection.begin().compose(tx -> {
      Future<T> done;
      try {
        done = work.apply(connection);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      return done.transform(worked -> worked.failed()
          // A connection whose ROLLBACK fails is broken: the pool drops it, and the server aborts the transaction.
          ? tx.rollback().otherwiseEmpty().transform(rolledBack -> Future.<T>failedFuture(worked.cause()))
          : tx.commit().transform(committed -> committed.succeeded() ? Future.succeededFuture(worked.result())
              : Future.<T>failedFuture(PostgresFailures.commitMayHaveApplied(committed.cause())
                  ? PostgresFailures.commitInDoubt(committed.cause(), doing) : committed.cause())));
    })));
  }

  /** One statement with parameters. */
  Future<RowSet<Row>> execute(String doing, String sql, Tuple params) {
    return run(doing, pool -> pool.preparedQuery(sql).execute(params));
  }

  /** The record in the first row's {@code doc} column, or {@code null} when there is none. */
  Future<JsonObject> one(String doing, String sql, Tuple params) {
    return execute(doing, sql, params).map(rows -> rows.size() == 0 ? null : doc(rows.iterator().next()));
  }

  /** The records in the rows' {@code doc} column, decoded. */
  <T> Future<List<T>> list(String doing, String sql, Tuple params, Function<JsonObject, T> decode) {
    return execute(doing, sql, params).map(rows -> {
      List<T> records = new ArrayList<>(rows.size());
      rows.forEach(row -> records.add(decode.apply(doc(row))));
      return records;
    });
  }

  static JsonObject doc(Row row) {
    return new JsonObject(row.getString("doc"));
  }

  /** Whether {@code failure} is a violation of the named constraint (unique or foreign key). */
  static boolean violated(Throwable failure, String constraint) {
    return failure instanceof PgException pg && constraint.equals(pg.getConstraint())
        && (PostgresFailures.UNIQUE_VIOLATION.equals(pg.getSqlState())
            || PostgresFailures.FOREIGN_KEY_VIOLATION.equals(pg.getSqlState()));
  }

  // Sealed secrets are bound to the same record keys as in RocksAdminStore, so a sealed value means one thing.
  static byte[] recordKey(String kind, String id) {
    return (kind + id).getBytes(StandardCharsets.UTF_8);
  }

  static FerryException closed() {
    return new FerryException(ErrorCode.UNAVAILABLE, "the admin store is closed");
  }

  static FerryException notFound(String what, String id) {
    return new FerryException(ErrorCode.NOT_FOUND, what + " " + id + " not found");
  }
}
