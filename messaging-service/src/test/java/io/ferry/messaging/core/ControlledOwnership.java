package io.ferry.messaging.core;

import io.ferry.messaging.store.ShardOwnership;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shard ownership a test hands out and takes back on command, as the store's leases would: the shards given
 * at start, then {@link #gain}, {@link #revoke} (a graceful hand-over: releasing, then the engine's release)
 * and {@link #lose} (a lease that ran out). Listener calls happen on the context that started it.
 */
final class ControlledOwnership implements ShardOwnership {

  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  /** Shards the engine gave back after {@link #revoke}. */
  final Set<Integer> released = ConcurrentHashMap.newKeySet();
  private Listener listener;
  private Context context;

  ControlledOwnership(Set<Integer> initial) {
    owned.addAll(initial);
  }

  @Override
  public Future<Void> start(Listener listener) {
    this.listener = listener;
    this.context = Vertx.currentContext();
    if (!owned.isEmpty()) {
      listener.gained(Set.copyOf(owned));
    }
    return Future.succeededFuture();
  }

  void gain(Set<Integer> shards) {
    owned.addAll(shards);
    context.runOnContext(v -> listener.gained(shards));
  }

  void revoke(Set<Integer> shards) {
    context.runOnContext(v -> listener.releasing(shards));
  }

  void lose(Set<Integer> shards) {
    owned.removeAll(shards);
    context.runOnContext(v -> listener.lost(shards));
  }

  @Override
  public boolean owns(int shard) {
    return owned.contains(shard);
  }

  @Override
  public Future<Void> release(int shard) {
    owned.remove(shard);
    released.add(shard);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
