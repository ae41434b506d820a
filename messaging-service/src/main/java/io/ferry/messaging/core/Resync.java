package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.messaging.store.MessageStore;
import io.ferry.contracts.model.LeaseBatch;
import io.vertx.core.Future;
import java.util.List;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the engine back in line with the store after a commit whose outcome is unknown (it failed
 * OUTCOME_UNKNOWN or UNAVAILABLE: it may have reached the store all the same). The in-memory state may then be behind what is
 * durable, so the engine stops serving: every request and parked poll fails UNAVAILABLE, the generation's
 * commits are fenced off, and once those in flight have settled the store is probed and the whole state is
 * reloaded from it, as at start, retrying with a backoff until the store answers. Leases out at that moment
 * are lost as on a restart (their messages become available again); everything answered as durable is in
 * the store, so it is in the reloaded state. Lives on the engine thread.
 */
final class Resync {

  private static final Logger LOG = LoggerFactory.getLogger(Resync.class);
  static final long FIRST_RETRY_MS = 200;
  static final long MAX_RETRY_MS = 5_000;
  // A probe that does not answer within this is as good as failed; the next attempt asks again.
  private static final long PROBE_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final MessageStore store;
  private final EngineClock clock;
  private final Supplier<Future<EngineState>> reload;
  private final Consumer<EngineState> install;
  private Runnable resynced = () -> { };
  private volatile boolean serving = true;
  private boolean stopped;
  private WatchedStore watched;
  private EngineState state;
  private long retryMs;
  private int attempts;

  /**
   * {@code reload} reads the state afresh from the store; {@code install} makes a reloaded state the engine's,
   * with the store {@link #watch} gives for it.
   */
  Resync(Vertx vertx, MessageStore store, EngineClock clock, Supplier<Future<EngineState>> reload,
      Consumer<EngineState> install) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.reload = reload;
    this.install = install;
  }

  static FerryException unavailable() {
    return new FerryException(ErrorCode.UNAVAILABLE,
        "messaging is reloading its state from the store after a storage failure; retry shortly");
  }

  /** Runs {@code action} on the engine thread each time the engine serves again after a resync. */
  void whenResynced(Runnable action) {
    resynced = action;
  }

  /** Whether the engine serves requests (false while it resynchronises). Any thread. */
  boolean serving() {
    return serving;
  }

  /** The store the generation on {@code current} is to use: its commits are watched, and fenced on a resync. */
  MessageStore watch(EngineState current) {
    state = current;
    watched = new WatchedStore(store, this::outcomeUnknown);
    return watched;
  }

  private void outcomeUnknown(Throwable cause) {
    if (!serving || stopped) {
      return;
    }
    serving = false;
    LOG.warn("a commit failed with its outcome unknown ({}); messaging stops serving and reloads its state from "
        + "the store", cause.getMessage());
    endWaiters();
    retryMs = FIRST_RETRY_MS;
    attempts = 0;
    watched.fence(Resync::unavailable).onComplete(drained -> attempt());
  }

  private void endWaiters() {
    for (SubscriptionState subscription : state.subscriptions()) {
      for (Waiter waiter; (waiter = subscription.waiters.poll()) != null; ) {
        clock.cancelTimer(waiter.timerId);
        waiter.promise.tryFail(unavailable());
      }
    }
  }

  /**
   * The shard leaves this instance: parked polls end (with nothing, or UNAVAILABLE when {@code lost}), the
   * generation's commits are fenced off (one asked for later fails with {@code moved}'s exception) and no reload
   * starts any more; completes once commits in flight settled.
   */
  Future<Void> stop(boolean lost, Supplier<RuntimeException> moved) {
    stopped = true;
    if (lost) {
      endWaiters();
    } else {
      for (SubscriptionState subscription : state.subscriptions()) {
        for (Waiter waiter; (waiter = subscription.waiters.poll()) != null; ) {
          clock.cancelTimer(waiter.timerId);
          waiter.promise.tryComplete(new LeaseBatch(List.of(), subscription.queue.metrics()));
        }
      }
    }
    return watched.fence(moved);
  }

  private void attempt() {
    if (stopped) {
      return;
    }
    if (!store.isOpen()) {
      LOG.info("the message store is closed; messaging stays unavailable");
      return;
    }
    attempts++;
    probe()
        .compose(v -> reload.get())
        .onSuccess(reloaded -> {
          install.accept(reloaded);
          serving = true;
          LOG.info("messaging reloaded its state from the store after {} attempt(s) and serves again", attempts);
          resynced.run();
        })
        .onFailure(e -> {
          LOG.warn("reloading from the store failed (attempt {}): {}; next attempt in {} ms", attempts,
              e.getMessage(), retryMs);
          vertx.setTimer(retryMs, id -> attempt());
          retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
        });
  }

  // Bounded by a timer of the engine's own context, so that whatever answers first, the attempt goes on there.
  private Future<Void> probe() {
    Promise<Void> answered = Promise.promise();
    long timer = vertx.setTimer(PROBE_TIMEOUT_MS, id -> answered.tryFail(new FerryException(ErrorCode.UNAVAILABLE,
        "the store did not answer its probe within " + PROBE_TIMEOUT_MS + " ms")));
    store.probe().onComplete(probed -> {
      vertx.cancelTimer(timer);
      if (probed.succeeded()) {
        answered.tryComplete();
      } else {
        answered.tryFail(probed.cause());
      }
    });
    return answered.future();
  }

  /** Fails when the engine is not serving; the request is then answered UNAVAILABLE. */
  void requireServing() {
    if (!serving) {
      throw unavailable();
    }
  }
}
