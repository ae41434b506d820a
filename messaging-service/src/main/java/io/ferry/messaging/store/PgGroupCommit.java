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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on PostgreSQL: the commits asked for while a transaction runs make up the next one. A group's
 * mutations are coalesced into multi-row statements ({@link PgMutations}) sent together with BEGIN, the epoch
 * fence and COMMIT (pipelined: one round trip); each commit's future succeeds once COMMIT has returned (with
 * {@code synchronous_commit} on: flushed) after every statement succeeded.
 *
 * <p>A writer's commits become durable in call order. So that the next group need not wait for the whole of
 * the one before it, up to {@link #MAX_IN_FLIGHT} transactions are in flight: once every statement of a group
 * has succeeded (it holds every row lock it will take, and its COMMIT is under way, flushing), the next group
 * writes its rows on another connection, but sends its COMMIT only after the one before has committed. If that
 * one did not (a malformed commit replayed, a fence, an unknown outcome), the next rolls back and its commits go
 * back to the head of the queue, as if it had never started: a later commit is never durable without an earlier
 * one. Only a group of upserts starts early ({@link PgMutations#upsertsOnly}): its statements, run before the
 * earlier transaction's rows are visible, have the same effect as after them, an upsert of a row the earlier
 * one wrote waiting for it to end; a delete would miss rows the earlier one inserted. The earlier one never
 * waits for a lock the next one holds, since it took all of its own before the next began. Pushes, the common
 * case, overlap; acks (deletes) wait. {@link PgMessageStore} may give the engine's shards several writers
 * (each shard always the same one): their transactions overlap freely, up to the pool's size, as no order is
 * owed between shards.
 *
 * <p>A statement failing for any reason but the database being away (a bad value in one commit) rolls the
 * group back and replays it in one transaction with a savepoint per commit, so only the bad commit fails.
 * Unavailability fails the whole group UNAVAILABLE, as does a COMMIT whose answer is lost: its outcome is
 * unknown, and a commit must never succeed unless it is known to be durable.
 *
 * <p>Every commit belongs to a shard (or, made through the store itself, to every shard) and takes the
 * shard's epoch from the {@link PgShardLeases} when it is asked for: a commit of a shard this instance does not
 * own then is refused UNAVAILABLE without being sent. A group's transaction locks the lease row of every
 * (shard, epoch) it carries right after BEGIN ({@link PgShardFence}), and aborts unless all still hold that
 * epoch (COMMIT then rolls it back). The lock is FOR KEY SHARE, and the lease table makes (shard, epoch) a
 * key: writers' transactions hold it together and never wait for each other nor for a renewal (which changes
 * only expires_at), while a claim, whose UPDATE of the epoch changes a key, waits until every transaction
 * holding it has ended, and a transaction locking the row after that UPDATE committed reads the new epoch and
 * fails. So an instance that lost a shard commits nothing of it after the new owner's epoch is in place,
 * however many of its transactions were in flight. A group fenced out reads which of its shards were taken,
 * fails their commits UNAVAILABLE, tells the leases, and writes the rest again (the transaction rolled back).
 */
final class PgGroupCommit {

  private static final Logger LOG = LoggerFactory.getLogger(PgGroupCommit.class);
  // Bounds one transaction's size and so the latency of the commits at the front of the group.
  private static final int MAX_COMMITS_PER_TRANSACTION = 4096;
  private static final int MAX_MUTATIONS_PER_TRANSACTION = 40_000;

  // The transaction committing and the next one, which writes its rows meanwhile: see the class comment.
  static final int MAX_IN_FLIGHT = 2;

  /**
   * The shard {@code shards[i]} is written under epoch {@code epochs[i]}; {@code upsertsOnly} as
   * {@link PgMutations#upsertsOnly}.
   */
  private record Commit(StoreBatch batch, ContextCompletion<Void> completion, int[] shards, long[] epochs,
      boolean upsertsOnly) implements PgShardFence.Fenced {
  }

  /** A group's transaction, from its start until each of its commits is completed or handed back. */
  private static final class Group {
    final List<Commit> commits;
    // The group in flight when this one started (null when none was): this one commits only after it did.
    final Group predecessor;
    // True once every commit of the group is durable through the group's own transaction; false when anything
    // else happened (failure, replay, fence, handed back), and a successor then rolls back and hands back too.
    final Promise<Boolean> finished = Promise.promise();
    // Guarded by the writer. Every statement before COMMIT succeeded, so the transaction holds every row lock it
    // will take: a successor may start without ever holding a lock this one still waits for.
    boolean prepared;
    // Guarded by the writer. The predecessor did not commit: this group hands its commits back.
    boolean doomed;

    Group(List<Commit> commits, Group predecessor) {
      this.commits = commits;
      this.predecessor = predecessor;
    }

    Future<Boolean> predecessorCommitted() {
      return predecessor == null ? Future.succeededFuture(true) : predecessor.finished.future();
    }
  }

  private final Pool pool;
  private final PgShardLeases leases;
  private final PgBodyCache bodies;
  private final ArrayDeque<Commit> queue = new ArrayDeque<>();
  // Oldest first; at most MAX_IN_FLIGHT.
  private final ArrayDeque<Group> inFlight = new ArrayDeque<>();
  private final AtomicLong transactions = new AtomicLong();
  private final Promise<Void> drained = Promise.promise();
  private boolean accepting = true;

  PgGroupCommit(Pool pool, PgShardLeases leases, PgBodyCache bodies) {
    this.pool = pool;
    this.leases = leases;
    this.bodies = bodies;
  }

  /** Commits {@code batch} as shard {@code shard}'s, or with {@link #EVERY_SHARD} as every shard's. */
  Future<Void> submit(StoreBatch batch, int shard) {
    ContextCompletion<Void> completion = new ContextCompletion<>();
    FerryException refused = null;
    Group group = null;
    int[] shards = batch.isEmpty() ? new int[0] : shard == EVERY_SHARD ? everyShard() : new int[] {shard};
    long[] epochs = new long[shards.length];
    if (shard == EVERY_SHARD && shards.length == 0 && !batch.isEmpty()) {
      refused = notEveryShard();
    }
    for (int i = 0; i < shards.length && refused == null; i++) {
      epochs[i] = leases.epochOf(shards[i]);
      if (epochs[i] == 0) {
        refused = shard == EVERY_SHARD ? notEveryShard() : leases.notOwned(shards[i]);
      }
    }
    synchronized (this) {
      if (!accepting) {
        refused = closed();
      } else if (refused == null && !batch.isEmpty()) {
        queue.add(new Commit(batch, completion, shards, epochs, PgMutations.upsertsOnly(batch)));
        group = nextGroup();
      }
    }
    // Completed outside the lock: without a caller context, the caller's callbacks run right here.
    if (refused != null) {
      completion.fail(refused);
    } else if (batch.isEmpty()) {
      completion.succeed(null);
    } else if (group != null) {
      start(group);
    }
    return completion.future();
  }

  /** The shard of {@link #submit} meaning every shard: a commit through the store itself. */
  static final int EVERY_SHARD = -1;

  private int[] everyShard() {
    int[] shards = new int[leases.shardCount()];
    for (int s = 0; s < shards.length; s++) {
      shards[s] = s;
    }
    return shards;
  }

  // A commit outside any shard may touch any shard: only an instance owning them all may make it.
  private FerryException notEveryShard() {
    return new FerryException(ErrorCode.UNAVAILABLE, leases.shardCount() == 0
        ? "this messaging instance owns no shards yet"
        : "a commit outside a shard needs every shard owned by this messaging instance, and it does not own them"
            + " all now");
  }

  long transactionCount() {
    return transactions.get();
  }

  /** Refuses new commits; succeeds once every commit already asked for is completed. */
  Future<Void> drain() {
    boolean idle;
    synchronized (this) {
      accepting = false;
      idle = inFlight.isEmpty();
    }
    if (idle) {
      drained.tryComplete();
    }
    return drained.future();
  }

  // The body cache follows the database before the caller hears of the outcome, so a read that follows a
  // commit sees its effect.
  private void succeeded(Commit commit) {
    bodies.written(commit.batch);
    commit.completion.succeed(null);
  }

  private void failed(Commit commit, FerryException failure) {
    bodies.notWritten(commit.batch);
    commit.completion.fail(failure);
  }

  // The next group to start, added to those in flight; null when none may start now. The caller holds the lock.
  private Group nextGroup() {
    if (queue.isEmpty() || inFlight.size() >= MAX_IN_FLIGHT) {
      return null;
    }
    Group last = inFlight.peekLast();
    if (last != null && (!last.prepared || last.doomed || !queue.peek().upsertsOnly)) {
      return null;
    }
    Group group = new Group(takeGroup(last != null), last);
    inFlight.add(group);
    return group;
  }

  private List<Commit> takeGroup(boolean upsertsOnly) {
    List<Commit> group = new ArrayList<>(Math.min(queue.size(), MAX_COMMITS_PER_TRANSACTION));
    int mutations = 0;
    while (!queue.isEmpty() && group.size() < MAX_COMMITS_PER_TRANSACTION
        && (!upsertsOnly || queue.peek().upsertsOnly)
        && (group.isEmpty() || mutations + queue.peek().batch.mutations().size() <= MAX_MUTATIONS_PER_TRANSACTION)) {
      Commit commit = queue.poll();
      mutations += commit.batch.mutations().size();
      group.add(commit);
    }
    return group;
  }

  private void start(Group taken) {
    // A lease may have run out (by this instance's clock) while its commits queued: they are not sent.
    List<Commit> group = new ArrayList<>(taken.commits.size());
    Map<Commit, FerryException> stale = new LinkedHashMap<>();
    for (Commit commit : taken.commits) {
      int shard = staleShard(commit);
      if (shard < 0) {
        group.add(commit);
      } else {
        stale.put(commit, leases.notOwned(shard));
      }
    }
    // Failures too are told in call order, after the group before.
    taken.predecessorCommitted().onComplete(told -> stale.forEach(this::failed));
    if (group.isEmpty()) {
      taken.predecessorCommitted().onComplete(told -> finish(taken, false, List.of()));
      return;
    }
    pool.getConnection()
        .compose(connection -> (taken.predecessor == null
            ? writeGroup(connection, group, () -> prepared(taken))
            : writeBehind(connection, taken, group)).eventually(connection::close))
        .onComplete(done -> {
          if (done.succeeded()) {
            finish(taken, done.result() == Outcome.COMMITTED,
                done.result() == Outcome.HANDED_BACK ? group : List.of());
            return;
          }
          // No connection (or a failure the group did not handle): nothing was committed.
          FerryException failure = PostgresFailures.toFerry(done.cause(), "committing to the message store");
          taken.predecessorCommitted().onComplete(told -> {
            group.forEach(commit -> failed(commit, failure));
            finish(taken, false, List.of());
          });
        });
  }

  private enum Outcome {
    /** Every commit of the group is durable through its own transaction. */
    COMMITTED,
    /** Every commit is completed, some other way (failed, replayed one by one, written again after a fence). */
    COMPLETED,
    /** Rolled back because the group before did not commit: no commit is completed, they go back in the queue. */
    HANDED_BACK
  }

  private void prepared(Group group) {
    Group next;
    synchronized (this) {
      group.prepared = true;
      next = nextGroup();
    }
    if (next != null) {
      start(next);
    }
  }

  private void finish(Group group, boolean committed, List<Commit> handedBack) {
    Group next;
    boolean idleAndClosing;
    synchronized (this) {
      inFlight.remove(group);
      for (int i = handedBack.size() - 1; i >= 0; i--) {
        queue.addFirst(handedBack.get(i));
      }
      if (!committed) {
        // Before anything new may start behind them: their commits come back ahead of the queue.
        inFlight.forEach(later -> later.doomed = true);
      }
      next = nextGroup();
      idleAndClosing = inFlight.isEmpty() && !accepting;
    }
    group.finished.complete(committed);
    if (next != null) {
      start(next);
    } else if (idleAndClosing) {
      drained.tryComplete();
    }
  }

  // The first shard of the commit whose epoch is no longer the one it was asked for under; -1 when none.
  private int staleShard(Commit commit) {
    for (int i = 0; i < commit.shards.length; i++) {
      if (leases.epochOf(commit.shards[i]) != commit.epochs[i]) {
        return commit.shards[i];
      }
    }
    return -1;
  }

  /**
   * Writes the group in one pipelined transaction, COMMIT included, and completes every commit of it; fails
   * only when none of them was completed. {@code prepared} runs once every statement before COMMIT succeeded.
   */
  private Future<Outcome> writeGroup(SqlConnection connection, List<Commit> group, Runnable prepared) {
    PgShardFence fence = PgShardFence.of(group);
    List<PgMutations.Statement> statements;
    try {
      statements = PgMutations.statements(group.stream().map(Commit::batch).toList());
    } catch (RuntimeException unexpressible) {
      return oneByOneFenced(connection, group, fence);
    }
    return inTransaction(connection, statements, bulk(group), fence, prepared).transform(written -> {
      if (written.succeeded()) {
        committed(group);
        return Future.succeededFuture(Outcome.COMMITTED);
      }
      return notWritten(connection, group, fence, written.cause());
    });
  }

  /**
   * Writes the group beside its predecessor's transaction, which has taken every lock it needs: BEGIN, the
   * fence and the statements go out at once, COMMIT only once the predecessor has committed. If it did not,
   * this transaction rolls back and its commits are handed back, to be written after whatever the predecessor's
   * failure led to, as if this group had never started.
   */
  private Future<Outcome> writeBehind(SqlConnection connection, Group behind, List<Commit> group) {
    PgShardFence fence = PgShardFence.of(group);
    List<PgMutations.Statement> statements;
    try {
      statements = PgMutations.statements(group.stream().map(Commit::batch).toList());
    } catch (RuntimeException unexpressible) {
      return behind.predecessorCommitted().compose(committed -> committed
          ? oneByOneFenced(connection, group, fence) : Future.succeededFuture(Outcome.HANDED_BACK));
    }
    List<Future<?>> sent = send(connection, statements, bulk(group), fence);
    return Future.join(sent).transform(answered -> {
      if (answered.succeeded()) {
        prepared(behind);
      }
      return behind.predecessorCommitted();
    }).compose(predecessorCommitted -> {
      if (!predecessorCommitted) {
        return rollback(connection).map(Outcome.HANDED_BACK);
      }
      if (sent.stream().allMatch(Future::succeeded)) {
        return commit(connection).map(done -> {
          committed(group);
          return Outcome.COMMITTED;
        });
      }
      Throwable cause = PgShardFence.refused(sent.get(1)) ? new PgShardFence.FencedOut() : firstFailure(sent);
      return rollback(connection).compose(rolledBack -> notWritten(connection, group, fence, cause));
    });
  }

  private void committed(List<Commit> group) {
    transactions.incrementAndGet();
    group.forEach(this::succeeded);
  }

  // The group's transaction did not commit (and is over): its commits are completed another way.
  private Future<Outcome> notWritten(SqlConnection connection, List<Commit> group, PgShardFence fence,
      Throwable cause) {
    if (cause instanceof PgShardFence.FencedOut) {
      return fencedOut(connection, group);
    }
    if (PostgresFailures.isUnavailable(cause)) {
      return Future.failedFuture(cause);
    }
    LOG.warn("a group of {} commits failed ({}); applying them one by one", group.size(), cause.toString());
    return oneByOneFenced(connection, group, fence);
  }

  private Future<Outcome> oneByOneFenced(SqlConnection connection, List<Commit> group, PgShardFence fence) {
    return oneByOne(connection, group, fence).map(Outcome.COMPLETED)
        .recover(failed -> failed instanceof PgShardFence.FencedOut ? fencedOut(connection, group)
            : Future.failedFuture(failed));
  }

  /**
   * The group's transaction was fenced out and rolled back: the commits of the shards another instance took
   * fail UNAVAILABLE (and the leases hear the shards are lost), the others are written again.
   */
  private Future<Outcome> fencedOut(SqlConnection connection, List<Commit> group) {
    return PgShardFence.of(group).currentEpochs(connection).compose(current -> {
      List<Commit> rest = new ArrayList<>(group.size());
      for (Commit commit : group) {
        int taken = -1;
        for (int i = 0; i < commit.shards.length; i++) {
          if (!Long.valueOf(commit.epochs[i]).equals(current.get(commit.shards[i]))) {
            taken = commit.shards[i];
            leases.fencedOut(taken, commit.epochs[i]);
          }
        }
        if (taken < 0) {
          rest.add(commit);
        } else {
          failed(commit, leases.notOwned(taken));
        }
      }
      if (rest.size() == group.size()) {
        // Epochs only rise, so this cannot be; failing beats writing the same group in a loop.
        FerryException unknown = new FerryException(ErrorCode.UNAVAILABLE, "the shard fence failed; retry");
        rest.forEach(commit -> failed(commit, unknown));
        return Future.succeededFuture(Outcome.COMPLETED);
      }
      return rest.isEmpty() ? Future.succeededFuture(Outcome.COMPLETED)
          : writeGroup(connection, rest, () -> { }).map(Outcome.COMPLETED);
    });
  }

  // One round trip: BEGIN, the fence, the statements and COMMIT are pipelined. A statement failing (the fence
  // included) aborts the transaction; the server still answers every later one (each has its own Sync), the
  // statements with "transaction is aborted" and COMMIT with a rollback, not an error. So the outcome is read
  // from the statements' answers: all succeeded and COMMIT too, it is durable; one failed, nothing was written.
  private Future<Void> inTransaction(SqlConnection connection, List<PgMutations.Statement> statements,
      boolean bulk, PgShardFence shards, Runnable prepared) {
    List<Future<?>> sent = send(connection, statements, bulk, shards);
    Future<?> fence = sent.get(1);
    Future.join(sent).onSuccess(answered -> prepared.run());
    Future<?> commit = connection.query("COMMIT").execute();
    List<Future<?>> all = new ArrayList<>(sent);
    all.add(commit);
    return Future.join(all).transform(answered -> {
      if (sent.stream().allMatch(Future::succeeded)) {
        return commit.succeeded() ? Future.succeededFuture() : Future.failedFuture(outcomeUnknown(commit.cause()));
      }
      if (PgShardFence.refused(fence)) {
        return Future.failedFuture(new PgShardFence.FencedOut());
      }
      // A statement failed, so the transaction was aborted; if COMMIT got no answer, the connection broke,
      // and the server aborts the transaction all the same.
      return Future.failedFuture(firstFailure(sent));
    });
  }

  // BEGIN, the fence (second) and the statements, pipelined.
  private static List<Future<?>> send(SqlConnection connection, List<PgMutations.Statement> statements,
      boolean bulk, PgShardFence shards) {
    List<Future<?>> sent = new ArrayList<>(statements.size() + 3);
    sent.add(begin(connection, bulk));
    sent.add(shards.lock(connection));
    for (PgMutations.Statement statement : statements) {
      sent.add(connection.preparedQuery(statement.sql()).executeBatch(statement.rows()));
    }
    return sent;
  }

  /**
   * The replay after a failed group: each commit between a savepoint and its release, a failing one rolled
   * back to its savepoint alone, all in one transaction. Only reached when a commit is malformed.
   */
  private Future<Void> oneByOne(SqlConnection connection, List<Commit> group, PgShardFence shards) {
    List<FerryException> outcomes = new ArrayList<>(group.size());
    Future<Void> chain = begin(connection, bulk(group)).compose(begun -> {
      Future<?> fence = shards.lock(connection);
      return fence.transform(fenced -> fenced.succeeded() ? Future.<Void>succeededFuture()
          : Future.failedFuture(PgShardFence.refused(fence) ? new PgShardFence.FencedOut() : fenced.cause()));
    });
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
            succeeded(group.get(i));
          } else {
            failed(group.get(i), refused);
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

  // Every write transaction starts here, followed by the fence.
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
