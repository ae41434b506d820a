package io.ferry.messaging;

import io.ferry.contracts.runtime.EventLoopContexts;
import io.ferry.messaging.api.MessagingBusApi;
import io.ferry.messaging.api.ShardBusApi;
import io.ferry.messaging.bus.BusEventSink;
import io.ferry.messaging.bus.BusLiveFeed;
import io.ferry.messaging.bus.BusTopologySource;
import io.ferry.messaging.core.EngineClock;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.ServingState;
import io.ferry.messaging.core.ShardMap;
import io.ferry.messaging.core.TopologyReconciler;
import io.ferry.messaging.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;

/**
 * Starts the engine: gives its shards event-loop contexts spread over the event loops, recovers their hot
 * state from the store, serves the bus API, runs the periodic sweep (leases, delays, retention) and starts
 * reconciliation with admin-service.
 */
final class MessagingVerticle extends VerticleBase {

  // How stale /metrics' queue gauges may be; each refresh walks every queue once.
  private static final long METERS_REFRESH_MS = 1_000;

  private final MessageStore store;
  private final int sweepMs;
  private final long maxQueuedAppendBytes;
  private final ShardMap shardMap;
  private final int forwardWaitMs;
  private MessagingEngine engine;
  private TopologyReconciler reconciler;
  private long sweepTimer = -1;
  private long metersTimer = -1;

  MessagingVerticle(MessageStore store, int sweepMs, long maxQueuedAppendBytes, ShardMap shardMap,
      int forwardWaitMs) {
    this.store = store;
    this.sweepMs = sweepMs;
    this.maxQueuedAppendBytes = maxQueuedAppendBytes;
    this.shardMap = shardMap;
    this.forwardWaitMs = forwardWaitMs;
  }

  @Override
  public Future<?> start() {
    int loops = Math.min(shardMap.shards(), VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
    return EventLoopContexts.deploy(vertx, loops)
        // The store says which shards this instance serves (all of them on the embedded store; leases on
        // PostgreSQL); the rest are forwarded to their owners over the bus.
        .compose(deployed -> MessagingEngine.start(vertx, store, EngineClock.system(vertx), new BusLiveFeed(vertx),
            new BusEventSink(vertx), maxQueuedAppendBytes, shardMap, deployed.contexts(),
            store.shardOwnership(shardMap.shards()), new ShardBusApi(vertx, forwardWaitMs)))
        .compose(recovered -> {
          engine = recovered;
          return MessagingBusApi.register(vertx, engine, store);
        })
        .onSuccess(v -> {
          sweepTimer = vertx.setPeriodic(sweepMs, id -> engine.sweep());
          metersTimer = vertx.setPeriodic(METERS_REFRESH_MS, id -> engine.refreshMeters());
          reconciler = new TopologyReconciler(vertx, new BusTopologySource(vertx), engine);
          reconciler.start();
          engine.whenResynced(reconciler::reconcileAgain);
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(metersTimer);
    if (reconciler != null) {
      reconciler.stop();
    }
    // Hands every shard over before the store closes: commits in flight end and parked polls are answered.
    return engine == null ? Future.succeededFuture() : engine.stop();
  }

  MessagingEngine engine() {
    return engine;
  }

  /** The engine's serving state; not serving until the engine has loaded its state at start. */
  ServingState servingState() {
    return () -> engine != null && engine.serving();
  }

  boolean topologyReconciled() {
    return reconciler != null && reconciler.reconciled();
  }
}
