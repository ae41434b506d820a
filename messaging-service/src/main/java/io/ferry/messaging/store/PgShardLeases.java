package io.ferry.messaging.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.postgres.PostgresFailures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ShardOwnership} on PostgreSQL: a lease per shard in {@code messaging_shard_leases}, shared by every
 * messaging instance on the schema (docs/scale-out.md). Every {@code lease / 3} a round heartbeats this
 * instance, counts the live ones, renews the owned shards in one statement, claims shards up to the fair
 * share and asks the engine to release any above it. Expiry is the database's clock; locally a lease counts
 * from when its renewal was sent, less a margin, so this instance stops owning a shard before the database
 * may give it to another, even when the database does not answer. The rounds run on a pool of one connection
 * of their own, so the writers' queue for connections never holds a renewal up.
 */
final class PgShardLeases implements ShardOwnership {

  private static final Logger LOG = LoggerFactory.getLogger(PgShardLeases.class);
  /** The default lease ({@code messaging.shard-lease-ms}). */
  static final long DEFAULT_LEASE_MS = 10_000;
  // An instance row unseen for this many leases belongs to a process that is gone for good.
  private static final int FORGET_AFTER_LEASES = 30;

  private static final String RECORD_SHARDS =
      "INSERT INTO messaging_deployment (shards) VALUES ($1::int) ON CONFLICT DO NOTHING";
  private static final String RECORDED_SHARDS = "SELECT shards FROM messaging_deployment";
  private static final String LEASE_ROWS = "INSERT INTO messaging_shard_leases (shard)"
      + " SELECT generate_series(0, $1::int - 1) ON CONFLICT DO NOTHING";
  // The CTEs' changes are not visible to the count (one snapshot), so the count is of the others.
  private static final String HEARTBEAT = "WITH beat AS (INSERT INTO messaging_instances (instance, seen_at)"
      + " VALUES ($1, now()) ON CONFLICT (instance) DO UPDATE SET seen_at = now()),"
      + " forgotten AS (DELETE FROM messaging_instances WHERE seen_at < now() - $3::bigint * interval '1 ms')"
      + " SELECT count(*) FROM messaging_instances WHERE instance <> $1 AND seen_at > now() - $2::bigint * interval '1 ms'";
  private static final String RENEW = "UPDATE messaging_shard_leases SET expires_at = now() + $2::bigint * interval '1 ms'"
      + " WHERE owner = $1 AND (shard, epoch) IN (SELECT * FROM unnest($3::int[], $4::bigint[])) RETURNING shard";
  // SKIP LOCKED: two instances claiming at once never wait for each other nor take the same shard.
  private static final String CLAIM = "UPDATE messaging_shard_leases l SET owner = $1, epoch = l.epoch + 1,"
      + " expires_at = now() + $2::bigint * interval '1 ms' WHERE l.shard IN (SELECT shard FROM messaging_shard_leases"
      + " WHERE (owner IS NULL OR expires_at < now()) AND shard < $4::int AND NOT (shard = ANY($5::int[]))"
      + " ORDER BY shard LIMIT $3::int FOR UPDATE SKIP LOCKED) RETURNING l.shard, l.epoch";
  private static final String RELEASE = "UPDATE messaging_shard_leases SET owner = NULL, expires_at = NULL"
      + " WHERE owner = $1 AND (shard, epoch) IN (SELECT * FROM unnest($2::int[], $3::bigint[]))";
  private static final String LEAVE = "DELETE FROM messaging_instances WHERE instance = $1";
  /** Each shard's epoch now, for telling which shards of a fenced-out group were taken. */
  static final String EPOCHS = "SELECT shard, epoch FROM messaging_shard_leases WHERE shard = ANY($1::int[])";

  /** A shard this instance owns: the epoch it was claimed under, and until when (System.nanoTime) by this clock. */
  private record Lease(long epoch, long validUntilNanos) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String schema;
  private final String instance;
  private final long leaseMs;
  private final long marginMs;
  private final Map<Integer, Lease> owned = new ConcurrentHashMap<>();
  private final Set<Integer> releasing = ConcurrentHashMap.newKeySet();
  private volatile int shards;
  private volatile boolean stopped;
  private Context context;
  private Listener listener;
  private long roundTimer = -1;
  private long expiryTimer = -1;
  private Future<Void> round = Future.succeededFuture();
  private int roundNumber;
  private boolean frozen;

  PgShardLeases(Vertx vertx, Pool pool, String schema, long leaseMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.schema = schema;
    this.leaseMs = leaseMs;
    this.marginMs = leaseMs / 5;
    this.instance = ManagementFactory.getRuntimeMXBean().getName() + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Readies the schema for {@code shards} shards; call {@link #start} next. */
  PgShardLeases forShards(int shards) {
    if (this.shards != 0 && this.shards != shards) {
      throw new IllegalStateException("the store's shard ownership is for " + this.shards + " shards, not " + shards);
    }
    this.shards = shards;
    return this;
  }

  @Override
  public Future<Void> start(Listener listener) {
    if (this.listener != null) {
      return Future.failedFuture(new IllegalStateException("shard ownership already started"));
    }
    this.listener = listener;
    this.context = vertx.getOrCreateContext();
    int count = shards;
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> prepare(count)
        .compose(prepared -> runRound())
        .onComplete(first -> tell(() -> {
          if (first.failed()) {
            stopped = true;
            started.fail(first.cause());
            return;
          }
          LOG.info("messaging instance {} shares schema {} ({} shards, lease {} ms); owns {}", instance, schema,
              count, leaseMs, new TreeSet<>(owned.keySet()));
          scheduleRound();
          scheduleExpiryCheck();
          started.complete();
        })));
    return started.future();
  }

  @Override
  public boolean owns(int shard) {
    return epochOf(shard) != 0;
  }

  /** The epoch {@code shard} is owned under now (its lease not run out by this clock); 0 when not owned. */
  long epochOf(int shard) {
    Lease lease = owned.get(shard);
    return lease != null && System.nanoTime() - lease.validUntilNanos < 0 ? lease.epoch : 0;
  }

  /** How many shards the deployment has; 0 before {@link #forShards}. */
  int shardCount() {
    return shards;
  }

  /** Why a commit of {@code shard} was refused without being sent. */
  FerryException notOwned(int shard) {
    return new FerryException(ErrorCode.UNAVAILABLE, "this messaging instance does not own shard " + shard
        + " of schema " + schema + " now");
  }

  /** A commit found {@code shard} under another epoch than {@code epoch}: another instance took it. */
  void fencedOut(int shard, long epoch) {
    Lease lease = owned.get(shard);
    if (lease != null && lease.epoch == epoch && owned.remove(shard, lease)) {
      releasing.remove(shard);
      LOG.warn("another messaging instance took shard {} of schema {} (epoch {} is no longer current)", shard,
          schema, epoch);
      tell(() -> listener.lost(Set.of(shard)));
    }
  }

  @Override
  public Future<Void> release(int shard) {
    Lease lease = owned.remove(shard);
    releasing.remove(shard);
    if (lease == null) {
      return Future.succeededFuture();
    }
    LOG.info("releasing shard {} of schema {}", shard, schema);
    return releaseLeases(Map.of(shard, lease));
  }

  @Override
  public Future<Void> stop() {
    Promise<Void> stoppedPromise = Promise.promise();
    Runnable stopping = () -> {
      stopped = true;
      cancelTimers();
      Map<Integer, Lease> left = Map.copyOf(owned);
      owned.clear();
      releasing.clear();
      // A round in flight may still claim: it sees `stopped` and releases what it gained.
      round.eventually(() -> releaseLeases(left))
          .eventually(() -> pool.preparedQuery(LEAVE).execute(Tuple.of(instance)))
          .onComplete(done -> {
            if (done.failed()) {
              LOG.warn("could not release the shards of schema {} on stop ({}); they are free once their lease"
                  + " runs out", schema, done.cause().getMessage());
            }
            stoppedPromise.complete();
          });
    };
    if (context == null) {
      stopped = true;
      return Future.succeededFuture();
    }
    context.runOnContext(v -> stopping.run());
    return stoppedPromise.future();
  }

  /**
   * For tests: stops the rounds without releasing anything, as a frozen or cut-off process would; its
   * leases then run out, locally and in the database.
   */
  void freezeForTest() {
    context.runOnContext(v -> {
      frozen = true;
      if (roundTimer != -1) {
        vertx.cancelTimer(roundTimer);
        roundTimer = -1;
      }
    });
  }

  private Future<Void> prepare(int count) {
    if (count <= 0) {
      return Future.failedFuture(new IllegalStateException("shard ownership started before forShards"));
    }
    return pool.preparedQuery(RECORD_SHARDS).execute(Tuple.tuple().addInteger(count))
        .compose(recorded -> pool.query(RECORDED_SHARDS).execute())
        .compose(rows -> {
          int recorded = rows.iterator().next().getInteger(0);
          if (recorded != count) {
            return Future.failedFuture(new FerryException(ErrorCode.UNPROCESSABLE, "messaging.shards is " + count
                + " here, but the messaging instances sharing schema " + schema + " split queues into " + recorded
                + " shards; every instance of a deployment needs the same messaging.shards (a queue's shard is a"
                + " hash of its id modulo the count), so set messaging.shards=" + recorded));
          }
          return pool.preparedQuery(LEASE_ROWS).execute(Tuple.tuple().addInteger(count));
        })
        .<Void>mapEmpty()
        .recover(failed -> Future.failedFuture(failed instanceof FerryException ? failed
            : PostgresFailures.toFerry(failed, "preparing the shard leases of schema " + schema)));
  }

  private void scheduleRound() {
    if (stopped || frozen) {
      return;
    }
    roundTimer = vertx.setTimer(Math.max(1, leaseMs / 3), id -> {
      roundTimer = -1;
      if (stopped || frozen) {
        return;
      }
      runRound().onComplete(done -> tell(() -> {
        if (done.failed()) {
          LOG.warn("shard lease round on schema {} failed: {}", schema, done.cause().getMessage());
        }
        scheduleRound();
      }));
    });
  }

  // Leases run out by this clock without waiting for a round, which may hang on an unreachable database.
  private void scheduleExpiryCheck() {
    expiryTimer = vertx.setPeriodic(Math.max(10, leaseMs / 10), id -> expireLocally());
  }

  private void expireLocally() {
    long now = System.nanoTime();
    Set<Integer> expired = new TreeSet<>();
    owned.forEach((shard, lease) -> {
      if (now - lease.validUntilNanos >= 0 && owned.remove(shard, lease)) {
        expired.add(shard);
      }
    });
    if (!expired.isEmpty()) {
      releasing.removeAll(expired);
      LOG.warn("the leases of shards {} of schema {} ran out before they were renewed; they are not served here",
          expired, schema);
      tell(() -> listener.lost(expired));
    }
  }

  /** One round, bounded well below a lease so that a stuck database never stalls the next one for long. */
  private Future<Void> runRound() {
    int number = ++roundNumber;
    Promise<Void> bounded = Promise.promise();
    long timeout = vertx.setTimer(Math.max(1, leaseMs / 3), id -> bounded.tryFail(new FerryException(
        ErrorCode.UNAVAILABLE, "no answer from the database within " + leaseMs / 3 + " ms")));
    heartbeat()
        .compose(live -> renew(number).map(live))
        .compose(live -> balance(number, live))
        .onComplete(done -> {
          vertx.cancelTimer(timeout);
          if (done.succeeded()) {
            bounded.tryComplete();
          } else {
            bounded.tryFail(done.cause());
          }
        });
    round = bounded.future().otherwiseEmpty();
    return bounded.future();
  }

  private boolean current(int number) {
    return number == roundNumber && !stopped && !frozen;
  }

  /** How many instances are alive, this one included. */
  private Future<Integer> heartbeat() {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.tuple().addString(instance).addLong(leaseMs)
        .addLong(leaseMs * FORGET_AFTER_LEASES))
        .map(rows -> 1 + rows.iterator().next().getLong(0).intValue());
  }

  private Future<Void> renew(int number) {
    Map<Integer, Lease> held = Map.copyOf(owned);
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    long sent = System.nanoTime();
    return pool.preparedQuery(RENEW).execute(Tuple.tuple().addString(instance).addLong(leaseMs)
        .addArrayOfInteger(shardsOf(held)).addArrayOfLong(epochsOf(held)))
        .map(rows -> {
          Set<Integer> renewed = new TreeSet<>();
          rows.forEach(row -> renewed.add(row.getInteger(0)));
          if (!current(number)) {
            return null;
          }
          Set<Integer> lost = new TreeSet<>();
          long validUntil = sent + (leaseMs - marginMs) * 1_000_000;
          held.forEach((shard, lease) -> {
            if (renewed.contains(shard)) {
              owned.replace(shard, lease, new Lease(lease.epoch, validUntil));
            } else if (owned.remove(shard, lease)) {
              lost.add(shard);
            }
          });
          if (!lost.isEmpty()) {
            releasing.removeAll(lost);
            LOG.warn("shards {} of schema {} were taken by another messaging instance", lost, schema);
            tell(() -> listener.lost(lost));
          }
          return null;
        });
  }

  private Future<Void> balance(int number, int live) {
    if (!current(number)) {
      return Future.succeededFuture();
    }
    int share = (shards + live - 1) / live;
    Set<Integer> kept = new TreeSet<>(owned.keySet());
    kept.removeAll(releasing);
    if (kept.size() > share) {
      // The highest-numbered ones go, so that every instance gives up the same kind of shard each time.
      Set<Integer> excess = new TreeSet<>();
      List<Integer> ordered = new ArrayList<>(kept);
      for (int i = share; i < ordered.size(); i++) {
        excess.add(ordered.get(i));
      }
      releasing.addAll(excess);
      LOG.info("{} messaging instances share schema {}: releasing shards {} to stay at {}", live, schema, excess,
          share);
      tell(() -> listener.releasing(excess));
      return Future.succeededFuture();
    }
    if (kept.size() == share || owned.size() >= share) {
      return Future.succeededFuture();
    }
    return claim(number, share - owned.size());
  }

  private Future<Void> claim(int number, int wanted) {
    long sent = System.nanoTime();
    Integer[] mine = owned.keySet().toArray(new Integer[0]);
    return pool.preparedQuery(CLAIM).execute(Tuple.tuple().addString(instance).addLong(leaseMs)
        .addInteger(wanted).addInteger(shards).addArrayOfInteger(mine)).compose(rows -> {
      Map<Integer, Lease> gained = new ConcurrentHashMap<>();
      long validUntil = sent + (leaseMs - marginMs) * 1_000_000;
      for (Row row : rows) {
        gained.put(row.getInteger(0), new Lease(row.getLong(1), validUntil));
      }
      if (gained.isEmpty()) {
        return Future.succeededFuture();
      }
      if (stopped) {
        return releaseLeases(gained);
      }
      // Even from a round that timed out: the shards are this instance's in the database until released.
      owned.putAll(gained);
      Set<Integer> shardsGained = new TreeSet<>(gained.keySet());
      LOG.info("gained shards {} of schema {}", shardsGained, schema);
      tell(() -> listener.gained(shardsGained));
      return Future.succeededFuture();
    });
  }

  private Future<Void> releaseLeases(Map<Integer, Lease> leases) {
    if (leases.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(RELEASE).execute(Tuple.tuple().addString(instance)
        .addArrayOfInteger(shardsOf(leases)).addArrayOfLong(epochsOf(leases)))
        .<Void>mapEmpty()
        .recover(failed -> Future.failedFuture(PostgresFailures.toFerry(failed, "releasing shard leases")));
  }

  private void cancelTimers() {
    if (roundTimer != -1) {
      vertx.cancelTimer(roundTimer);
      roundTimer = -1;
    }
    if (expiryTimer != -1) {
      vertx.cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
  }

  // The listener hears everything on the context start() was called on.
  private void tell(Runnable call) {
    if (Vertx.currentContext() == context) {
      call.run();
    } else {
      context.runOnContext(v -> call.run());
    }
  }

  private static Integer[] shardsOf(Map<Integer, Lease> leases) {
    return leases.keySet().toArray(new Integer[0]);
  }

  private static Long[] epochsOf(Map<Integer, Lease> leases) {
    Integer[] shards = shardsOf(leases);
    Long[] epochs = new Long[shards.length];
    for (int i = 0; i < shards.length; i++) {
      epochs[i] = leases.get(shards[i]).epoch;
    }
    return epochs;
  }
}
