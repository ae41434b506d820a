package io.ferry.messaging.core;

import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.messaging.store.MessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every component of a shard's engine shares: Vert.x, the store, the shard's hot state, the clock, where
 * it announces messages and events, the process's budget of appends handed to the store and not yet durable,
 * and the way to the other shards.
 */
final class EngineRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(EngineRuntime.class);
  static final String INVARIANT_FAILURES_METRIC = "ferry.messaging.invariant.failures";

  final Vertx vertx;
  final MessageStore store;
  final EngineState state;
  final EngineClock clock;
  final LiveFeed feed;
  final EngineMeters meters;
  final AppendBudget appendBudget;
  final ShardPeers peers;
  private final EventSink events;
  private final Counter invariantFailures;

  EngineRuntime(Vertx vertx, MessageStore store, EngineState state, EngineClock clock, LiveFeed feed,
      EventSink events, EngineMeters meters, AppendBudget appendBudget, ShardPeers peers) {
    this.vertx = vertx;
    this.store = store;
    this.state = state;
    this.clock = clock;
    this.feed = feed;
    this.events = events;
    this.meters = meters;
    this.appendBudget = appendBudget;
    this.peers = peers;
    this.invariantFailures = invariantFailuresCounter();
  }

  /**
   * Reports that the in-memory effect of a change that is already durable failed. That is a bug of ours, not
   * the client's: the request is still answered as the durable outcome says, and a restart rebuilds the
   * state from the store. One line, so a loop of such failures cannot flood the log with stack traces.
   */
  void invariantFailed(String what, RuntimeException failure) {
    if (invariantFailures != null) {
      invariantFailures.increment();
    }
    LOG.error("invariant failed after a durable write ({}): {}", what, failure.toString());
    LOG.debug("invariant failure of {}", what, failure);
  }

  long nowMs() {
    return clock.nowMs();
  }

  private static Counter invariantFailuresCounter() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry == null ? null : Counter.builder(INVARIANT_FAILURES_METRIC)
        .description("Changes written to the store whose in-memory effect failed (a bug; see the ERROR log)")
        .register(registry);
  }

  void publishEvent(String type, String accountId, String resourceId, JsonObject payload) {
    events.emit(new FerryEvent(Ids.newId(), type, accountId, resourceId, nowMs(), payload));
  }
}
