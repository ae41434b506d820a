package io.ferry.contracts.postgres;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.TransactionRollbackException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the PostgreSQL client fails with into the error a request answers: the database being away,
 * restarting, overloaded or too slow is UNAVAILABLE (503 with Retry-After in every dialect: the client should
 * retry), anything else is INTERNAL. Constraint violations a store expects are mapped by that store first. A
 * COMMIT sent whose answer was lost is neither: the stores map it to OUTCOME_UNKNOWN ({@link #commitInDoubt}).
 */
public final class PostgresFailures {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresFailures.class);
  // The Vert.x 5 SQL client's untyped failures of a lost database: its pool's wait for a connection timing out,
  // a request queued on a connection that closed, and a pool closed (the store shutting down).
  static final String NOT_SENT = "Pending requests failed to be sent due to connection has been closed.";
  static final Set<String> UNTYPED_OUTAGES = Set.of("Timeout waiting for connection", NOT_SENT, "Pool closed");

  /** SQLSTATE of a unique constraint violation. */
  public static final String UNIQUE_VIOLATION = "23505";
  /** SQLSTATE of a foreign key violation. */
  public static final String FOREIGN_KEY_VIOLATION = "23503";
  /** SQLSTATE of a serialization failure (a transaction to retry). */
  public static final String SERIALIZATION_FAILURE = "40001";

  private PostgresFailures() {
  }

  /** The SQLSTATE of a server-side error, else {@code null}. */
  public static String sqlState(Throwable failure) {
    return failure instanceof PgException pg ? pg.getSqlState() : null;
  }

  /** Whether {@code failure} says the database cannot be reached or cannot serve now, rather than a bug. */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      Boolean verdict = classify(cause);
      if (verdict != null) {
        return verdict;
      }
    }
    return false;
  }

  // True: an outage; false: a bug or a refusal; null: this throwable does not say (ask its cause).
  private static Boolean classify(Throwable failure) {
    String state = sqlState(failure);
    if (state != null) {
      return isUnavailableState(state);
    }
    if (failure instanceof FerryException ferry) {
      return ferry.code() == ErrorCode.UNAVAILABLE;
    }
    // Refused or timed-out connects (Netty's ConnectException and ConnectTimeoutException), resets and closed
    // channels are IOExceptions; a connection the client saw close, a pool whose wait queue is full and any
    // timeout (the pool's wait for a connection among them) have types of their own.
    if (failure instanceof IOException || failure instanceof ClosedConnectionException
        || failure instanceof ConnectionPoolTooBusyException || failure instanceof TimeoutException) {
      return true;
    }
    // The few plain VertxExceptions the client fails with when the database goes away have no type or
    // SQLSTATE, only their exact text. Any other failure without a SQLSTATE (a value the client cannot encode,
    // say) is a bug, not an outage: reported as UNAVAILABLE it would be retried forever, by clients and by
    // messaging's resync.
    if (failure.getClass() == VertxException.class && UNTYPED_OUTAGES.contains(failure.getMessage())) {
      return true;
    }
    return null;
  }

  /**
   * Whether a SQLSTATE says the database cannot serve now: 08 connection exception; 53 insufficient
   * resources; 57P0x shutting down, starting or crashed; 57014 statement timeout or cancel; 40P01 deadlock and
   * 40001 serialization failure, a transaction to retry.
   */
  static boolean isUnavailableState(String state) {
    return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.equals("57014")
        || state.equals("40P01") || state.equals(SERIALIZATION_FAILURE);
  }

  /**
   * Whether a transaction whose COMMIT was sent and did not succeed with {@code failure} may have committed all
   * the same. Only three answers say it surely did not: COMMIT was never written to the connection (the client's
   * own "failed to be sent"), the client had already rolled it back, or the server refused it with an error of
   * class 23 (a deferred constraint) or 40 (serialization failure, deadlock), which PostgreSQL raises while
   * deciding to roll back. Anything else (the connection closed or reset before the answer, the backend
   * terminated or the server shutting down, a statement timeout or cancel reported on COMMIT) may come after
   * the commit record was flushed: PostgreSQL holds off such interrupts while it commits and reports them
   * after, and a lost connection says nothing at all.
   */
  public static boolean commitMayHaveApplied(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      String state = sqlState(cause);
      if (state != null) {
        return !state.startsWith("23") && !state.startsWith("40");
      }
      if (cause instanceof TransactionRollbackException
          || cause.getClass() == VertxException.class && NOT_SENT.equals(cause.getMessage())) {
        return false;
      }
    }
    return true;
  }

  /**
   * OUTCOME_UNKNOWN for a transaction whose COMMIT was sent and got no answer saying whether it committed
   * ({@link #commitMayHaveApplied}): a client told UNAVAILABLE would retry believing nothing was written.
   */
  public static FerryException commitInDoubt(Throwable failure, String doing) {
    LOG.warn("COMMIT got no answer while {} ({}): its outcome is unknown", doing, failure.toString());
    return FerryException.outcomeUnknown("the database did not confirm the commit");
  }

  /** The FerryException a request answers for {@code failure} (already one: as it is). */
  public static FerryException toFerry(Throwable failure, String doing) {
    if (failure instanceof FerryException ferry) {
      return ferry;
    }
    if (isUnavailable(failure)) {
      LOG.warn("database unavailable while {}: {}", doing, failure.toString());
      return new FerryException(ErrorCode.UNAVAILABLE, "the database is unavailable; retry shortly");
    }
    LOG.error("database failure while {}", doing, failure);
    return new FerryException(ErrorCode.INTERNAL, "storage failure");
  }
}
