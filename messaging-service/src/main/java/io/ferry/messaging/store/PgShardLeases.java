package io.ferry.messaging.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ShardOwnership} on PostgreSQL: a lease per shard in {@code messaging_shard_leases}, shared by every
 * messaging instance on the schema (docs/scale-out.md). Every {@code lease / 3} a round heartbeats this
 * instance, counts the live ones, renews the owned shards in one statement, claims shards up to the fair
 * share and asks the engine to release those above it, a step at a time ({@link #releaseStep}): the next step
 * once the last one serves at its new owner ({@link #takenOver}). Expiry is the database's clock; locally a lease counts
 * from when its renewal was sent, less a margin, so this instance stops owning a shard before the database
 * may give it to another, even when the database does not answer. The rounds run on a pool of one connection
 * of their own, so the writers' queue for connections never holds a renewal up.
 */
final class PgShardLeases implements ShardOwnership {

  private static final Logger LOG = LoggerFactory.getLogger(PgShardLeases.class);
  /** The default lease ({@code messaging.shard-lease-ms}). */
  static final long DEFAULT_LEASE_MS = 10_000;
  // The most a stop's step waits for its shards to serve elsewhere (a lease, if shorter).
  private static final long STEP_WAIT_MS = 5_000;
  /** A shard this instance owns: the epoch it was claimed under, and until when (System.nanoTime) by this clock. */
  private record Lease(long epoch, long validUntilNanos) {
  }

  /** A stop's step: the shards not yet heard to serve elsewhere, and who waits for them. */
  private record StepWaiter(Set<Integer> left, Promise<Void> done) {
  }

  private final Vertx vertx;
  private final PgLeaseTable table;
  private final String schema;
  private final String instance;
  private final long leaseMs;
  private final long marginMs;
  private final Map<Integer, Lease> owned = new ConcurrentHashMap<>();
  private final Set<Integer> releasing = ConcurrentHashMap.newKeySet();
  // Steps (a rebalance's, a stop's) waiting for their shards to serve elsewhere: each the shards not heard of yet.
  private final List<StepWaiter> stepWaiters = new CopyOnWriteArrayList<>();
  // The last step of a rebalance, until its shards serve elsewhere or its bound passed.
  private volatile Future<Void> lastStep = Future.succeededFuture();
  // Live instances, this one included, as the last heartbeat counted them.
  private volatile int lastLive = 1;
  // Whether, at the last heartbeat, every instance on the schema read pending_for (V5): false until one answered.
  private volatile boolean everyInstanceReadsPendingFor;
  // Stopping: no longer counted nor claiming, still renewing what it has not given up yet.
  private volatile boolean retiring;
  private volatile int shards;
  private volatile boolean stopped;
  private Context context;
  private Listener listener;
  private long roundTimer = -1;
  private long expiryTimer = -1;
  private Future<Void> round = Future.succeededFuture();
  private int roundNumber;
  private boolean frozen;
  // Asked for a round while one was running: the next one starts right after it.
  private boolean soon;

  /**
   * {@code instanceName} names this instance in the lease rows; the same name after a restart (or after the
   * database was away) takes the instance's own shards back at once instead of after their lease. {@code null}:
   * a name of its own (this process's pid and host, and a random suffix).
   */
  PgShardLeases(Vertx vertx, Pool pool, String schema, long leaseMs, String instanceName) {
    this.vertx = vertx;
    this.schema = schema;
    this.leaseMs = leaseMs;
    this.marginMs = leaseMs / 5;
    this.instance = instanceName != null ? instanceName : ManagementFactory.getRuntimeMXBean().getName() + "/"
        + UUID.randomUUID().toString().substring(0, 8);
    this.table = new PgLeaseTable(pool, schema, instance, leaseMs);
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
          // Stopped meanwhile: the stop released whatever the first round gained.
          if (!stopped) {
            scheduleRound();
            scheduleExpiryCheck();
          }
          started.complete();
        })));
    return started.future();
  }

  /**
   * Whether a push may keep its pending entries on the message row ({@code pending_for}, PgPendingFor): only
   * while the last heartbeat found that every instance on the schema reads them (an older build cannot start on
   * this schema, but one running since before it was migrated can still claim shards).
   */
  boolean everyInstanceReadsPendingFor() {
    return everyInstanceReadsPendingFor;
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
    return table.release(Map.of(shard, lease.epoch));
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
      round.eventually(() -> table.release(epochsOf(left))).eventually(table::leave)
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

  @Override
  public void claimSoon() {
    Context started = context;
    if (started == null) {
      return;
    }
    started.runOnContext(v -> {
      if (stopped || frozen) {
        return;
      }
      if (roundTimer == -1) {
        // The first round or a due one is running; it may have claimed before the release.
        soon = true;
        return;
      }
      vertx.cancelTimer(roundTimer);
      roundTimer = -1;
      nextRound();
    });
  }

  @Override
  public void takenOver(int shard) {
    for (StepWaiter waiter : stepWaiters) {
      if (waiter.left().remove(shard) && waiter.left().isEmpty()) {
        waiter.done().tryComplete();
      }
    }
  }

  @Override
  public Future<Void> retire() {
    Promise<Void> retired = Promise.promise();
    Runnable retiringNow = () -> {
      retiring = true;
      releasing.clear();
      // Out of the count now; the rounds that follow only renew, and the others' next ones see their share grow.
      round.eventually(table::leave).onComplete(left -> {
        if (left.failed()) {
          LOG.warn("could not leave the count of instances on schema {} ({}); the others take the shards given up"
              + " once this instance's heartbeat runs out", schema, left.cause().getMessage());
        }
        retired.complete();
      });
    };
    if (context == null) {
      return Future.succeededFuture();
    }
    context.runOnContext(v -> retiringNow.run());
    return retired.future();
  }

  @Override
  public int stopStep() {
    return lastLive <= 1 ? Integer.MAX_VALUE : Math.max(1, shards / 16);
  }

  @Override
  public Future<Void> takenOverElsewhere(Set<Integer> shards) {
    return servedElsewhere(shards, Math.min(leaseMs, STEP_WAIT_MS));
  }

  // Completes once every one of the shards was heard to serve elsewhere, or after boundMs.
  private Future<Void> servedElsewhere(Set<Integer> shards, long boundMs) {
    StepWaiter waiter = new StepWaiter(ConcurrentHashMap.newKeySet(), Promise.promise());
    waiter.left().addAll(shards);
    if (waiter.left().isEmpty()) {
      return Future.succeededFuture();
    }
    stepWaiters.add(waiter);
    long timer = vertx.setTimer(boundMs, id -> waiter.done().tryComplete());
    return waiter.done().future().andThen(done -> {
      vertx.cancelTimer(timer);
      stepWaiters.remove(waiter);
    });
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
    return count <= 0 ? Future.failedFuture(new IllegalStateException("shard ownership started before forShards"))
        : table.prepare(count);
  }

  private void scheduleRound() {
    if (stopped || frozen) {
      return;
    }
    long delayMs = soon ? 1 : Math.max(1, leaseMs / 3);
    soon = false;
    roundTimer = vertx.setTimer(delayMs, id -> {
      roundTimer = -1;
      if (stopped || frozen) {
        return;
      }
      nextRound();
    });
  }

  private void nextRound() {
    runRound().onComplete(done -> tell(() -> {
      if (done.failed()) {
        LOG.warn("shard lease round on schema {} failed: {}", schema, done.cause().getMessage());
      }
      scheduleRound();
    }));
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
    Future<Void> work = retiring ? renew(number)
        : table.heartbeat().compose(beat -> {
          everyInstanceReadsPendingFor = beat.everyInstanceReadsPendingFor();
          return renew(number).map(beat.live());
        }).compose(live -> balance(number, live));
    work.onComplete(done -> {
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

  private Future<Void> renew(int number) {
    Map<Integer, Lease> held = Map.copyOf(owned);
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    long sent = System.nanoTime();
    return table.renew(epochsOf(held))
        .map(renewed -> {
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
    if (!current(number) || retiring) {
      return Future.succeededFuture();
    }
    lastLive = live;
    int share = (shards + live - 1) / live;
    Set<Integer> kept = new TreeSet<>(owned.keySet());
    kept.removeAll(releasing);
    if (kept.size() > share) {
      if (!releasing.isEmpty() || !lastStep.isComplete()) {
        // One step at a time: the shards given up last are still on their way to their next owner.
        return Future.succeededFuture();
      }
      // A few shards a step, the highest-numbered (every instance gives up the same kind of shard each time):
      // the next owner loads what it gains while those shards have no owner, and requests for them wait in
      // their forwarder up to its bound, so a step's load must stay well inside it, whatever the backlog.
      Set<Integer> excess = new TreeSet<>();
      List<Integer> ordered = new ArrayList<>(kept);
      for (int i = Math.max(share, ordered.size() - releaseStep(live)); i < ordered.size(); i++) {
        excess.add(ordered.get(i));
      }
      releasing.addAll(excess);
      // The next step once these serve elsewhere, at once rather than at the next round. An owner that never
      // says (it died while loading, or its word was lost) holds it up for two leases at most: by then its
      // shards were taken again.
      lastStep = servedElsewhere(excess, 2 * leaseMs).andThen(done -> claimSoon());
      LOG.info("{} messaging instances share schema {}: releasing shards {} on the way to {}", live, schema,
          excess, share);
      tell(() -> listener.releasing(excess));
      return Future.succeededFuture();
    }
    if (kept.size() == share || owned.size() >= share) {
      return Future.succeededFuture();
    }
    return claim(share - owned.size());
  }

  /**
   * How many shards a rebalance moves away from this instance a step: a sixteenth of them, at least one, split
   * among the instances that may be giving shards up together (every one but the one that joined), so that
   * the one instance gaining them loads about a sixteenth of the shards at a time.
   */
  int releaseStep(int live) {
    return Math.max(1, shards / 16 / Math.max(1, live - 1));
  }

  private Future<Void> claim(int wanted) {
    long sent = System.nanoTime();
    return table.claim(wanted, shards, Set.copyOf(owned.keySet())).compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture();
      }
      if (stopped) {
        return table.release(claimed);
      }
      // Even from a round that timed out: the shards are this instance's in the database until released.
      long validUntil = sent + (leaseMs - marginMs) * 1_000_000;
      claimed.forEach((shard, epoch) -> owned.put(shard, new Lease(epoch, validUntil)));
      Set<Integer> gained = new TreeSet<>(claimed.keySet());
      LOG.info("gained shards {} of schema {}", gained, schema);
      tell(() -> listener.gained(gained));
      return Future.succeededFuture();
    });
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

  private static Map<Integer, Long> epochsOf(Map<Integer, Lease> leases) {
    Map<Integer, Long> epochs = new HashMap<>();
    leases.forEach((shard, lease) -> epochs.put(shard, lease.epoch));
    return epochs;
  }
}
