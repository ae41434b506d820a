package io.ferry.messaging.store;

import io.vertx.core.Future;
import java.util.Set;

/**
 * Which of the deployment's shards this messaging instance owns, decided by the store: on PostgreSQL a lease
 * per shard with an epoch (the fencing token every commit of the shard checks), shared by every instance; on
 * the embedded store this instance owns every shard for good. The engine loads a shard's state when the shard
 * is gained, serves it while {@link #owns} holds, and drops it when the shard is released or lost.
 */
public interface ShardOwnership {

  /**
   * Starts claiming shards; every call of {@code listener} happens on the caller's context. Completes once
   * the first round of claims is done (the shards it gained already handed to {@link Listener#gained}).
   */
  Future<Void> start(Listener listener);

  /**
   * Whether this instance may serve {@code shard} now: it holds the shard's lease and, by its own clock, the
   * lease has not run out (with a margin for clock drift between this process and the database). Any thread.
   */
  boolean owns(int shard);

  /**
   * Gives {@code shard} up once the engine stopped serving it and its commits in flight ended, so that another
   * instance may take it over at once instead of after the lease.
   */
  Future<Void> release(int shard);

  /** Stops claiming and renewing, releasing every shard still owned (a graceful stop). */
  Future<Void> stop();

  /**
   * Another instance gave shards up: run the next round of claims now rather than when it is due (at once if
   * none is running, else right after the one that is). Any thread; nothing for an ownership without rounds.
   */
  default void claimSoon() {
  }

  /**
   * An instance (perhaps this one) gained {@code shard} and serves it now: a rebalance that handed it over
   * may take its next step. Any thread; nothing for an ownership without rebalances.
   */
  default void takenOver(int shard) {
  }

  /**
   * A graceful stop begins: this instance stops counting among those that share the shards, so that the others'
   * share grows to take its shards, and claims nothing more, while it keeps renewing what it still owns until it
   * gives each up ({@link #release}) and then {@link #stop}s. Nothing for an ownership without rounds.
   */
  default Future<Void> retire() {
    return Future.succeededFuture();
  }

  /**
   * How many shards a stopping instance gives up at a time, each step once the last one serves elsewhere:
   * {@link Integer#MAX_VALUE} when nobody else would take them (alone, or without rounds).
   */
  default int stopStep() {
    return Integer.MAX_VALUE;
  }

  /**
   * Completes once every one of {@code shards} was heard to serve at another instance ({@link #takenOver}), or
   * after a bound (a taker that never says so must not hold a stop up for long). Never fails.
   */
  default Future<Void> takenOverElsewhere(Set<Integer> shards) {
    return Future.succeededFuture();
  }

  /** What the engine does when ownership changes. */
  interface Listener {

    /**
     * These shards are now this instance's under a new epoch, so the store holds everything their previous
     * owners committed and nothing they send any more commits: load their state, then serve them.
     */
    void gained(Set<Integer> shards);

    /**
     * Another instance should own these shards (instances joined or are leaving): stop taking requests for
     * them, let commits in flight end, then {@link #release} each.
     */
    void releasing(Set<Integer> shards);

    /**
     * These shards were lost without a release (the lease ran out, or a commit found another epoch): stop
     * serving them at once and drop their state; nothing more of theirs commits.
     */
    void lost(Set<Integer> shards);
  }

  /** This instance owns every one of {@code shards} shards from the start, for good (the embedded store). */
  static ShardOwnership everyShard(int shards) {
    return new ShardOwnership() {
      @Override
      public Future<Void> start(Listener listener) {
        Set<Integer> all = new java.util.TreeSet<>();
        for (int s = 0; s < shards; s++) {
          all.add(s);
        }
        listener.gained(all);
        return Future.succeededFuture();
      }

      @Override
      public boolean owns(int shard) {
        return shard >= 0 && shard < shards;
      }

      @Override
      public Future<Void> release(int shard) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> stop() {
        return Future.succeededFuture();
      }
    };
  }
}
