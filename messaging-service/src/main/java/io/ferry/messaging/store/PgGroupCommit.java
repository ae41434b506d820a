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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on PostgreSQL: the commits asked for while a transaction runs make up the next one. A group's
 * mutations are coalesced into multi-row statements ({@link PgMutations}) sent together with BEGIN, the epoch
 * fence and COMMIT (pipelined: one round trip); each commit's future succeeds once COMMIT has returned (with
 * {@code synchronous_commit} on: flushed) after every statement succeeded.
 *
 * <p>Callers hear of their commits in call order, and a commit is durable no later than any commit asked for
 * after it that touches one of its rows. While a group is in flight, the next one starts only if it holds
 * pushes alone (appends and pending entries, {@link PgMutations#pushedRows}) and none of their rows is one a
 * group in flight writes, and every group in flight holds pushes alone: such transactions share no row (an
 * append no longer raises the queue's head row, see {@link PgMutations}), so neither waits for nor sees the
 * other, and up to {@code maxInFlight} of them ({@code messaging.postgres-push-transactions}, one by default)
 * may commit side by side, PostgreSQL flushing their WAL together as it does for independent sessions. A group
 * of anything else (acks, deletes, records) starts only once nothing is in flight, and nothing starts beside
 * it. Outcomes are told group by group in the order the groups started, so a push that committed beside an
 * earlier one that failed (and was replayed, or fenced) is only told after it. {@link PgMessageStore} may give the engine's shards several writers (each shard always the
 * same one): their transactions overlap freely, up to the pool's size, as no order is owed between shards.
 *
 * <p>A statement failing for any reason but the database being away (a bad value in one commit) rolls the
 * group back and replays it in one transaction with a savepoint per commit, so only the bad commit fails.
 * Unavailability before COMMIT was sent, or a statement the server refused with it, fails the whole group
 * UNAVAILABLE: the transaction surely rolled back. A COMMIT whose answer is lost (or that the server answers
 * with anything but a sure rollback, {@link PostgresFailures#commitMayHaveApplied}) fails it OUTCOME_UNKNOWN:
 * it may be durable, and a commit must never succeed unless it is known to be durable, nor be refused unless
 * it is known not to be.
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

  /** The shard {@code shards[i]} is written under epoch {@code epochs[i]}. */
  private static final class Commit implements PgShardFence.Fenced {
    final StoreBatch batch;
    final ContextCompletion<Void> completion;
    final int[] shards;
    final long[] epochs;
    // As PgMutations.pushedRows (null unless a push), when pushes may go side by side at all.
    final Set<Object> pushedRows;
    // Decided as the group is written, told once the groups before have told theirs. Guarded by the commit.
    boolean decided;
    FerryException failure;

    Commit(StoreBatch batch, ContextCompletion<Void> completion, int[] shards, long[] epochs, boolean sideBySide) {
      this.batch = batch;
      this.completion = completion;
      this.shards = shards;
      this.epochs = epochs;
      this.pushedRows = sideBySide && !batch.isEmpty() ? PgMutations.pushedRows(batch) : null;
    }

    @Override
    public int[] shards() {
      return shards;
    }

    @Override
    public long[] epochs() {
      return epochs;
    }
  }

  /** A group's transaction, from its start until each of its commits is told its outcome. */
  private static final class Group {
    final List<Commit> commits;
    // Every row of the group when it holds pushes only; null when it holds anything else.
    final Set<Object> pushedRows;
    // Completes once the commits of the group started just before this one are told (those are told first).
    // Its future, not the group: a chain of groups would keep every group ever written.
    final Future<Void> predecessorTold;
    final Promise<Void> told = Promise.promise();

    Group(List<Commit> commits, Set<Object> pushedRows, Group predecessor) {
      this.commits = commits;
      this.pushedRows = pushedRows;
      this.predecessorTold = predecessor == null ? Future.succeededFuture() : predecessor.told.future();
    }
  }

  private final int maxInFlight;
  private final Pool pool;
  private final PgShardLeases leases;
  private final BodyCache bodies;
  // Shared by the store's writers: see PgPendingFor.
  private final Map<String, String> queueOfSubscription;
  private final ArrayDeque<Commit> queue = new ArrayDeque<>();
  // Oldest first; at most maxInFlight.
  private final ArrayDeque<Group> inFlight = new ArrayDeque<>();
  private final AtomicLong transactions = new AtomicLong();
  private final Promise<Void> drained = Promise.promise();
  private boolean accepting = true;

  /** With up to {@code maxInFlight} transactions of pushes in flight at once (see the class comment). */
  PgGroupCommit(Pool pool, PgShardLeases leases, BodyCache bodies, Map<String, String> queueOfSubscription,
      int maxInFlight) {
    this.maxInFlight = maxInFlight;
    this.pool = pool;
    this.leases = leases;
    this.bodies = bodies;
    this.queueOfSubscription = queueOfSubscription;
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
        queue.add(new Commit(batch, completion, shards, epochs, maxInFlight > 1));
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

  // Recorded now, told in call order once the group's transaction is over (tell).
  private void succeeded(Commit commit) {
    synchronized (commit) {
      commit.decided = true;
    }
  }

  private void failed(Commit commit, FerryException failure) {
    synchronized (commit) {
      if (!commit.decided) {
        commit.decided = true;
        commit.failure = failure;
      }
    }
  }

  // The body cache follows the database before the caller hears of the outcome, so a read that follows a
  // commit sees its effect.
  private void tell(Commit commit) {
    FerryException failure;
    synchronized (commit) {
      failure = commit.decided ? commit.failure
          : new FerryException(ErrorCode.UNAVAILABLE, "the commit's outcome was lost; retry");
    }
    if (failure == null) {
      bodies.written(commit.batch);
      commit.completion.succeed(null);
    } else {
      bodies.notWritten(commit.batch);
      commit.completion.fail(failure);
    }
  }

  // The next group to start, added to those in flight; null when none may start now. The caller holds the lock.
  // With groups in flight, only pushes sharing no row with any of them start, and only behind other pushes.
  private Group nextGroup() {
    if (queue.isEmpty() || inFlight.size() >= maxInFlight) {
      return null;
    }
    Set<Object> busy = null;
    if (!inFlight.isEmpty()) {
      busy = new HashSet<>();
      for (Group group : inFlight) {
        if (group.pushedRows == null) {
          return null;
        }
        busy.addAll(group.pushedRows);
      }
      if (!independent(queue.peek(), busy)) {
        return null;
      }
    }
    List<Commit> commits = new ArrayList<>(Math.min(queue.size(), MAX_COMMITS_PER_TRANSACTION));
    Set<Object> pushedRows = maxInFlight > 1 ? new HashSet<>() : null;
    int mutations = 0;
    while (!queue.isEmpty() && commits.size() < MAX_COMMITS_PER_TRANSACTION
        && (busy == null || independent(queue.peek(), busy))
        && (commits.isEmpty() || mutations + queue.peek().batch.mutations().size() <= MAX_MUTATIONS_PER_TRANSACTION)) {
      Commit commit = queue.poll();
      mutations += commit.batch.mutations().size();
      commits.add(commit);
      if (pushedRows != null && commit.pushedRows != null) {
        pushedRows.addAll(commit.pushedRows);
      } else {
        pushedRows = null;
      }
    }
    Group group = new Group(commits, pushedRows, inFlight.peekLast());
    inFlight.add(group);
    return group;
  }

  private static boolean independent(Commit commit, Set<Object> busy) {
    if (commit.pushedRows == null) {
      return false;
    }
    for (Object row : commit.pushedRows) {
      if (busy.contains(row)) {
        return false;
      }
    }
    return true;
  }

  private void start(Group taken) {
    // A lease may have run out (by this instance's clock) while its commits queued: they are not sent.
    List<Commit> group = new ArrayList<>(taken.commits.size());
    for (Commit commit : taken.commits) {
      int shard = staleShard(commit);
      if (shard < 0) {
        group.add(commit);
      } else {
        failed(commit, leases.notOwned(shard));
      }
    }
    Future<Void> written = group.isEmpty() ? Future.succeededFuture()
        : pool.getConnection().compose(connection -> writeGroup(connection, group).eventually(connection::close));
    written.onComplete(done -> {
      if (done.failed()) {
        // No connection (or a failure the group did not handle): nothing was committed.
        FerryException failure = PostgresFailures.toFerry(done.cause(), "committing to the message store");
        group.forEach(commit -> failed(commit, failure));
      }
      taken.predecessorTold.onComplete(before -> {
        taken.commits.forEach(this::tell);
        finish(taken);
      });
    });
  }

  private void finish(Group group) {
    Group next;
    boolean idleAndClosing;
    synchronized (this) {
      inFlight.remove(group);
      next = nextGroup();
      idleAndClosing = inFlight.isEmpty() && !accepting;
    }
    group.told.complete();
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

  private PgPendingFor pendingFor() {
    return new PgPendingFor(queueOfSubscription, leases.everyInstanceReadsPendingFor());
  }

  /** Decides every commit of the group; fails only when none of them was decided. */
  private Future<Void> writeGroup(SqlConnection connection, List<Commit> group) {
    PgShardFence fence = PgShardFence.of(group);
    List<PgMutations.Statement> statements;
    try {
      statements = PgMutations.statements(group.stream().map(commit -> commit.batch).toList(), pendingFor());
    } catch (RuntimeException unexpressible) {
      return oneByOneFenced(connection, group, fence);
    }
    return inTransaction(connection, statements, bulk(group), fence).transform(written -> {
      if (written.succeeded()) {
        committed(group);
        return Future.succeededFuture();
      }
      return notWritten(connection, group, fence, written.cause());
    });
  }

  private void committed(List<Commit> group) {
    transactions.incrementAndGet();
    group.forEach(this::succeeded);
  }

  // The group's transaction did not commit (and is over): its commits are decided another way.
  private Future<Void> notWritten(SqlConnection connection, List<Commit> group, PgShardFence fence,
      Throwable cause) {
    if (cause instanceof PgShardFence.FencedOut) {
      return fencedOut(connection, group);
    }
    // In doubt: replaying could write the group twice.
    if (PostgresFailures.isUnavailable(cause)
        || cause instanceof FerryException ferry && ferry.code() == ErrorCode.OUTCOME_UNKNOWN) {
      return Future.failedFuture(cause);
    }
    LOG.warn("a group of {} commits failed ({}); applying them one by one", group.size(), cause.toString());
    return oneByOneFenced(connection, group, fence);
  }

  private Future<Void> oneByOneFenced(SqlConnection connection, List<Commit> group, PgShardFence fence) {
    return oneByOne(connection, group, fence)
        .recover(failed -> failed instanceof PgShardFence.FencedOut ? fencedOut(connection, group)
            : Future.failedFuture(failed));
  }

  /**
   * The group's transaction was fenced out and rolled back: the commits of the shards another instance took
   * fail UNAVAILABLE (and the leases hear the shards are lost), the others are written again.
   */
  private Future<Void> fencedOut(SqlConnection connection, List<Commit> group) {
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
        return Future.succeededFuture();
      }
      return rest.isEmpty() ? Future.succeededFuture() : writeGroup(connection, rest);
    });
  }

  // One round trip: BEGIN, the fence, the statements and COMMIT are pipelined. A statement failing (the fence
  // included) aborts the transaction; the server still answers every later one (each has its own Sync), the
  // statements with "transaction is aborted" and COMMIT with a rollback, not an error. So the outcome is read
  // from the statements' answers: all succeeded and COMMIT too, it is durable; the server refused one, nothing
  // was written; the connection broke before COMMIT's answer (before any answer saying otherwise), in doubt.
  private Future<Void> inTransaction(SqlConnection connection, List<PgMutations.Statement> statements,
      boolean bulk, PgShardFence shards) {
    List<Future<?>> sent = send(connection, statements, bulk, shards);
    Future<?> fence = sent.get(1);
    Future<?> commit = connection.query("COMMIT").execute();
    List<Future<?>> all = new ArrayList<>(sent);
    all.add(commit);
    return Future.join(all).transform(answered -> {
      if (sent.stream().allMatch(Future::succeeded)) {
        return commit.succeeded() ? Future.succeededFuture() : Future.failedFuture(commitFailed(commit.cause()));
      }
      if (PgShardFence.refused(fence)) {
        return Future.failedFuture(new PgShardFence.FencedOut());
      }
      Throwable first = firstFailure(sent);
      // A statement the server answered with an error aborted the transaction, and the server handles what
      // follows it in order: COMMIT, if it ran at all, rolled back. But statements whose answers were lost
      // with the connection may all have run, and COMMIT with them: it was written right behind them.
      if (refusedByTheServer(sent) || !PostgresFailures.isUnavailable(first)
          || commit.failed() && !PostgresFailures.commitMayHaveApplied(commit.cause())) {
        return Future.failedFuture(first);
      }
      return Future.failedFuture(outcomeUnknown(commit.failed() ? commit.cause() : first));
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
      statements = PgMutations.statements(List.of(commit.batch), pendingFor());
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
        : Future.failedFuture(commitFailed(committed.cause())));
  }

  // COMMIT sent after statements that all succeeded, and failed: in doubt unless the server surely rolled back.
  private static Throwable commitFailed(Throwable cause) {
    return PostgresFailures.commitMayHaveApplied(cause) ? outcomeUnknown(cause) : cause;
  }

  private static boolean refusedByTheServer(List<Future<?>> sent) {
    return sent.stream().anyMatch(answer -> answer.failed() && PostgresFailures.sqlState(answer.cause()) != null);
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

  // COMMIT sent, its answer lost: the transaction may or may not be durable, so it is reported neither durable
  // nor refused (a client told 503 would send a push that may be stored again); the engine resyncs on it.
  private static FerryException outcomeUnknown(Throwable cause) {
    return PostgresFailures.commitInDoubt(cause, "committing to the message store");
  }
}
