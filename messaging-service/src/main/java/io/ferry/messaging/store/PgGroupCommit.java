package io.ferry.messaging.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.postgres.PostgresFailures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on PostgreSQL: one transaction at a time; the commits asked for while it runs make up the
 * next one. A group's mutations are coalesced into multi-row statements ({@link PgMutations}) sent together
 * (pipelined), then COMMIT; each commit's future succeeds once COMMIT has returned (with {@code
 * synchronous_commit} on: flushed). Transactions never overlap, so commits become durable in call order.
 *
 * <p>A statement failing for any reason but the database being away (a bad value in one commit) rolls the
 * group back and replays it in one transaction with a savepoint per commit, so only the bad commit fails.
 * Unavailability fails the whole group UNAVAILABLE, as does a COMMIT whose answer is lost: its outcome is
 * unknown, and a commit must never succeed unless it is known to be durable.
 */
final class PgGroupCommit {

  private static final Logger LOG = LoggerFactory.getLogger(PgGroupCommit.class);
  // Bounds one transaction's size and so the latency of the commits at the front of the group.
  private static final int MAX_COMMITS_PER_TRANSACTION = 4096;
  private static final int MAX_MUTATIONS_PER_TRANSACTION = 40_000;

  private record Commit(StoreBatch batch, ContextCompletion<Void> completion) {
  }

  private final Pool pool;
  private final ArrayDeque<Commit> queue = new ArrayDeque<>();
  private final AtomicLong transactions = new AtomicLong();
  private final Promise<Void> drained = Promise.promise();
  private boolean writing;
  private boolean accepting = true;

  PgGroupCommit(Pool pool) {
    this.pool = pool;
  }

  Future<Void> submit(StoreBatch batch) {
    ContextCompletion<Void> completion = new ContextCompletion<>();
    boolean refused = false;
    List<Commit> group = null;
    synchronized (this) {
      if (!accepting) {
        refused = true;
      } else if (!batch.isEmpty()) {
        queue.add(new Commit(batch, completion));
        if (!writing) {
          writing = true;
          group = takeGroup();
        }
      }
    }
    // Completed outside the lock: without a caller context, the caller's callbacks run right here.
    if (refused) {
      completion.fail(closed());
    } else if (batch.isEmpty()) {
      completion.succeed(null);
    } else if (group != null) {
      write(group);
    }
    return completion.future();
  }

  long transactionCount() {
    return transactions.get();
  }

  /** Refuses new commits; succeeds once every commit already asked for is completed. */
  Future<Void> drain() {
    boolean idle;
    synchronized (this) {
      accepting = false;
      idle = !writing;
    }
    if (idle) {
      drained.tryComplete();
    }
    return drained.future();
  }

  private List<Commit> takeGroup() {
    List<Commit> group = new ArrayList<>(Math.min(queue.size(), MAX_COMMITS_PER_TRANSACTION));
    int mutations = 0;
    while (!queue.isEmpty() && group.size() < MAX_COMMITS_PER_TRANSACTION
        && (group.isEmpty() || mutations + queue.peek().batch.mutations().size() <= MAX_MUTATIONS_PER_TRANSACTION)) {
      Commit commit = queue.poll();
      mutations += commit.batch.mutations().size();
      group.add(commit);
    }
    return group;
  }

  private void write(List<Commit> group) {
    pool.getConnection()
        .compose(connection -> writeGroup(connection, group).eventually(connection::close))
        .onComplete(done -> {
          if (done.failed()) {
            // No connection (or a failure the group did not handle): nothing was committed.
            FerryException failure = PostgresFailures.toFerry(done.cause(), "committing to the message store");
            group.forEach(commit -> commit.completion.fail(failure));
          }
          writeNext();
        });
  }

  private void writeNext() {
    List<Commit> group = null;
    boolean idleAndClosing = false;
    synchronized (this) {
      if (queue.isEmpty()) {
        writing = false;
        idleAndClosing = !accepting;
      } else {
        group = takeGroup();
      }
    }
    if (group != null) {
      write(group);
    } else if (idleAndClosing) {
      drained.tryComplete();
    }
  }

  /** Completes every commit of the group; fails only when none of them was completed. */
  private Future<Void> writeGroup(SqlConnection connection, List<Commit> group) {
    List<PgMutations.Statement> statements;
    try {
      statements = PgMutations.statements(group.stream().map(Commit::batch).toList());
    } catch (RuntimeException unexpressible) {
      return oneByOne(connection, group);
    }
    return inTransaction(connection, statements, bulk(group)).transform(written -> {
      if (written.succeeded()) {
        transactions.incrementAndGet();
        group.forEach(commit -> commit.completion.succeed(null));
        return Future.succeededFuture();
      }
      if (PostgresFailures.isUnavailable(written.cause())) {
        return Future.failedFuture(written.cause());
      }
      LOG.warn("a group of {} commits failed ({}); applying them one by one", group.size(),
          written.cause().toString());
      return oneByOne(connection, group);
    });
  }

  private Future<Void> inTransaction(SqlConnection connection, List<PgMutations.Statement> statements,
      boolean bulk) {
    List<Future<?>> sent = new ArrayList<>(statements.size() + 1);
    sent.add(begin(connection, bulk));
    for (PgMutations.Statement statement : statements) {
      sent.add(connection.preparedQuery(statement.sql()).executeBatch(statement.rows()));
    }
    return Future.join(sent).transform(applied -> applied.succeeded()
        ? commit(connection)
        : rollback(connection).transform(rolledBack -> Future.failedFuture(firstFailure(sent))));
  }

  /**
   * The replay after a failed group: each commit between a savepoint and its release, a failing one rolled
   * back to its savepoint alone, all in one transaction. Only reached when a commit is malformed.
   */
  private Future<Void> oneByOne(SqlConnection connection, List<Commit> group) {
    List<FerryException> outcomes = new ArrayList<>(group.size());
    Future<Void> chain = begin(connection, bulk(group));
    for (Commit commit : group) {
      chain = chain.compose(v -> applyAlone(connection, commit).map(outcome -> {
        outcomes.add(outcome);
        return null;
      }));
    }
    return chain.transform(applied -> {
      if (applied.failed()) {
        return rollback(connection).transform(rolledBack -> Future.failedFuture(applied.cause()));
      }
      boolean anyApplied = outcomes.stream().anyMatch(outcome -> outcome == null);
      return (anyApplied ? commit(connection) : rollback(connection)).onSuccess(committed -> {
        if (anyApplied) {
          transactions.incrementAndGet();
        }
        for (int i = 0; i < group.size(); i++) {
          FerryException refused = outcomes.get(i);
          if (refused == null) {
            group.get(i).completion.succeed(null);
          } else {
            group.get(i).completion.fail(refused);
          }
        }
      });
    });
  }

  /** Null when the commit applied; its error when it was malformed; fails when the database is away. */
  private Future<FerryException> applyAlone(SqlConnection connection, Commit commit) {
    List<PgMutations.Statement> statements;
    try {
      statements = PgMutations.statements(List.of(commit.batch));
    } catch (RuntimeException malformed) {
      LOG.error("commit rejected before writing", malformed);
      return Future.succeededFuture(new FerryException(ErrorCode.INTERNAL, "storage write failed"));
    }
    List<Future<?>> sent = new ArrayList<>(statements.size() + 1);
    sent.add(connection.query("SAVEPOINT one_commit").execute());
    for (PgMutations.Statement statement : statements) {
      sent.add(connection.preparedQuery(statement.sql()).executeBatch(statement.rows()));
    }
    return Future.join(sent).transform(applied -> {
      if (applied.succeeded()) {
        return connection.query("RELEASE SAVEPOINT one_commit").execute().map(released -> null);
      }
      Throwable cause = firstFailure(sent);
      if (PostgresFailures.isUnavailable(cause)) {
        return Future.failedFuture(cause);
      }
      FerryException refused = PostgresFailures.toFerry(cause, "writing a commit to the message store");
      return connection.query("ROLLBACK TO SAVEPOINT one_commit").execute().map(rolledBack -> refused);
    });
  }

  // Every write transaction starts here. Shard ownership with fencing goes here too: a statement right after
  // BEGIN that locks (FOR SHARE) the shard's owner row and fails unless it still names this instance's epoch,
  // so a deposed owner's transaction changes nothing and a new owner's takeover waits for it.
  private static Future<Void> begin(SqlConnection connection, boolean bulk) {
    return connection.query(bulk ? "BEGIN; SET LOCAL statement_timeout = '" + BULK_STATEMENT_TIMEOUT + "'" : "BEGIN")
        .execute().mapEmpty();
  }

  // Deleting a queue or a subscription, or finishing a purge, is one range delete that may cover millions of
  // rows, and recovery repeats an unfinished purge: under the ordinary statement timeout such a delete would
  // fail the same way at every attempt, and messaging would never serve again. These groups get a generous
  // bound instead; the writer waits for them (a purge of a million messages takes seconds).
  static final String BULK_STATEMENT_TIMEOUT = "10min";

  private static boolean bulk(List<Commit> group) {
    for (Commit commit : group) {
      for (StoreBatch.Mutation mutation : commit.batch.mutations()) {
        if (mutation instanceof StoreBatch.DeleteQueue || mutation instanceof StoreBatch.DeleteSubscription
            || mutation instanceof StoreBatch.DeleteMessagesThrough
            || mutation instanceof StoreBatch.DeletePendingThrough) {
          return true;
        }
      }
    }
    return false;
  }

  private static Future<Void> commit(SqlConnection connection) {
    return connection.query("COMMIT").execute().transform(committed -> committed.succeeded()
        ? Future.succeededFuture()
        : Future.failedFuture(outcomeUnknown(committed.cause())));
  }

  private static Future<Void> rollback(SqlConnection connection) {
    // A connection whose ROLLBACK fails is broken: the pool drops it, and the server aborts the transaction.
    return connection.query("ROLLBACK").execute().<Void>mapEmpty().otherwiseEmpty();
  }

  private static Throwable firstFailure(List<Future<?>> sent) {
    // Statements after the first failure fail only because the transaction is aborted: the first is the cause.
    return sent.stream().filter(Future::failed).map(Future::cause).findFirst()
        .orElseGet(() -> new IllegalStateException("no statement failed"));
  }

  private static FerryException closed() {
    return new FerryException(ErrorCode.UNAVAILABLE, "message store is closed");
  }

  // COMMIT sent, its answer lost: the transaction may or may not be durable, so it is not reported durable.
  private static FerryException outcomeUnknown(Throwable cause) {
    LOG.warn("COMMIT got no answer ({}); reporting its commits as unavailable", cause.toString());
    return new FerryException(ErrorCode.UNAVAILABLE, "the database did not confirm the commit; retry");
  }
}
