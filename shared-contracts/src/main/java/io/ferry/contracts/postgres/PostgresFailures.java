package io.ferry.contracts.postgres;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the PostgreSQL client fails with into the error a request answers: the database being away,
 * restarting, overloaded or too slow is UNAVAILABLE (503 with Retry-After in every dialect: the client should
 * retry), anything else is INTERNAL. Constraint violations a store expects are mapped by that store first.
 */
public final class PostgresFailures {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresFailures.class);

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
    String state = sqlState(failure);
    if (state != null) {
      // 08: connection exception; 53: insufficient resources; 57P0x: shutting down or starting;
      // 57014: statement timeout or cancel; 40P01 deadlock and 40001 serialization: retry.
      return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.equals("57014")
          || state.equals("40P01") || state.equals(SERIALIZATION_FAILURE);
    }
    if (failure instanceof FerryException) {
      return ((FerryException) failure).code() == ErrorCode.UNAVAILABLE;
    }
    if (failure instanceof IOException || failure instanceof io.vertx.sqlclient.ClosedConnectionException
        || failure instanceof java.util.concurrent.TimeoutException) {
      return true;
    }
    // The pool's connect timeout, its full wait queue, a connection closed under a request: plain exceptions
    // without a SQLSTATE. Anything else without one (a value the client cannot encode, say) is a bug, not an
    // outage: reporting it as UNAVAILABLE would make clients, and messaging's resync, retry it forever.
    String message = failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(java.util.Locale.ROOT);
    return failure instanceof io.vertx.core.VertxException
        && (message.contains("closed") || message.contains("connect") || message.contains("timeout")
            || message.contains("timed out") || message.contains("queue"));
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
