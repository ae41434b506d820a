package io.ferry.dispatcher.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link ListenerWorker} running per enabled webhook listener: all of them from admin's list on
 * start (asked again every second until admin answers), then following listener and queue events. A listener
 * that is updated is fetched again and its worker restarted (or stopped, when it is now disabled). Events can
 * be missed (a bus hiccup, admin unreachable when a new listener is fetched), so admin's list is asked for
 * again every {@code reconcileIntervalMs} and the workers are brought in line with it.
 *
 * <p>Confined to the event loop of the context that starts it; {@link #loaded()} may be read from anywhere.
 */
public final class ListenerRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);
  static final long ADMIN_RETRY_MS = 1_000;

  private final Vertx vertx;
  private final ListenerAdmin admin;
  private final Function<ListenerInfo, ListenerWorker> workerFactory;
  private final long reconcileIntervalMs;
  // Concurrent only so that activeListenerIds() may be read from other threads; written on the event loop.
  private final Map<String, ListenerWorker> workers = new ConcurrentHashMap<>();
  /** Listeners announced by an event whose details are still being fetched; a deletion cancels them. */
  private final Set<String> pendingCreations = new HashSet<>();
  /**
   * Listeners and queues an event spoke of while admin's list was on its way: the list may predate the event,
   * so what the event did stands and the list is not applied to them.
   */
  private final Set<String> listenersChangedDuringLoad = new HashSet<>();
  private final Set<String> queuesDeletedDuringLoad = new HashSet<>();
  private final Set<ListenerInfo> unusableListeners = new HashSet<>();
  private final Predicate<String> checksLiveness;
  /** The latest liveness report per listener, from whichever instance checked it, for a takeover to go on from. */
  private final Map<String, ListenerLiveness> lastLiveness = new HashMap<>();

  private volatile boolean loaded;
  private boolean running;
  private boolean loading;
  private long timer = -1;

  /** A registry that checks every listener's liveness itself (the only dispatcher instance). */
  public ListenerRegistry(Vertx vertx, ListenerAdmin admin, Function<ListenerInfo, ListenerWorker> workerFactory,
      long reconcileIntervalMs) {
    this(vertx, admin, workerFactory, reconcileIntervalMs, listenerId -> true);
  }

  /** A registry that checks the liveness of the listeners {@code checksLiveness} accepts, as of when asked. */
  public ListenerRegistry(Vertx vertx, ListenerAdmin admin, Function<ListenerInfo, ListenerWorker> workerFactory,
      long reconcileIntervalMs, Predicate<String> checksLiveness) {
    this.checksLiveness = checksLiveness;
    this.vertx = vertx;
    this.admin = admin;
    this.workerFactory = workerFactory;
    this.reconcileIntervalMs = reconcileIntervalMs;
  }

  /** Starts loading the listeners in the background; subscribe to events before, so none is missed. */
  public void start() {
    running = true;
    loadAll();
  }

  /** Whether admin's listener list has been loaded (the readiness check). */
  public boolean loaded() {
    return loaded;
  }

  /** Ids of the listeners being delivered to. */
  public Set<String> activeListenerIds() {
    return Set.copyOf(workers.keySet());
  }

  public void onEvent(FerryEvent event) {
    if (!running || event.resourceId() == null) {
      return;
    }
    switch (event.type()) {
      case EventTypes.LISTENER_CREATED, EventTypes.LISTENER_UPDATED -> {
        // The liveness URL may have changed: the restarted worker checks afresh rather than going on.
        lastLiveness.remove(event.resourceId());
        fetchAndStart(event.resourceId());
      }
      case EventTypes.LISTENER_DELETED, EventTypes.LISTENER_DISABLED -> listenerDeleted(event.resourceId());
      case EventTypes.QUEUE_DELETED -> queueDeleted(event.resourceId());
      default -> {
        // other events do not change who is delivered to
      }
    }
  }

  /** A liveness report published by the instance that checks the listener (this one included). */
  public void onLiveness(ListenerLiveness report) {
    if (!running) {
      return;
    }
    lastLiveness.put(report.listenerId(), report);
    ListenerWorker worker = workers.get(report.listenerId());
    if (worker != null) {
      worker.followLiveness(report);
    }
  }

  /** The instances sharing the checks changed: each worker checks, or stops checking, as it is now assigned. */
  public void livenessDutyChanged() {
    if (!running) {
      return;
    }
    workers.forEach((listenerId, worker) ->
        worker.checkLiveness(checksLiveness.test(listenerId), lastLiveness.get(listenerId)));
  }

  /**
   * Stops every worker and waits up to {@code drainTimeoutMs} for the deliveries under way to be settled.
   */
  public Future<Void> stop(long drainTimeoutMs) {
    running = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> drains = new ArrayList<>();
    workers.values().forEach(worker -> drains.add(worker.stop()));
    workers.clear();
    Promise<Void> drained = Promise.promise();
    long drainTimer = vertx.setTimer(drainTimeoutMs, id -> {
      if (drained.tryComplete()) {
        LOG.warn("deliveries still in flight after {} ms; their leases will expire", drainTimeoutMs);
      }
    });
    Future.join(drains).onComplete(ar -> {
      vertx.cancelTimer(drainTimer);
      drained.tryComplete();
    });
    return drained.future();
  }

  private void loadAll() {
    timer = -1;
    if (!running) {
      return;
    }
    loading = true;
    admin.allListeners().onComplete(ar -> {
      loading = false;
      if (!running) {
        return;
      }
      if (ar.failed()) {
        long retryMs = loaded ? reconcileIntervalMs : ADMIN_RETRY_MS;
        LOG.info("listeners not {} ({}); asking admin again in {} ms", loaded ? "reconciled" : "loaded yet",
            ar.cause().getMessage(), retryMs);
        forgetChangesDuringLoad();
        timer = vertx.setTimer(retryMs, id -> loadAll());
        return;
      }
      reconcile(ar.result());
      forgetChangesDuringLoad();
      if (!loaded) {
        loaded = true;
        LOG.info("delivering to {} webhook listener(s)", workers.size());
      }
      timer = vertx.setTimer(reconcileIntervalMs, id -> loadAll());
    });
  }

  /** Starts, restarts or stops workers so that they match admin's list, except where an event was newer. */
  private void reconcile(List<ListenerInfo> listeners) {
    Map<String, ListenerInfo> listed = new HashMap<>();
    for (ListenerInfo listener : listeners) {
      if (listener.enabled() && !queuesDeletedDuringLoad.contains(listener.queueId())) {
        listed.put(listener.id(), listener);
      }
    }
    for (String listenerId : List.copyOf(workers.keySet())) {
      if (!listed.containsKey(listenerId) && !newerThanList(listenerId)) {
        workers.remove(listenerId).stop();
        LOG.info("listener {} is no longer in admin's list: delivery stopped", listenerId);
      }
    }
    for (ListenerInfo listener : listed.values()) {
      if (newerThanList(listener.id())) {
        continue;
      }
      if (loaded && !workers.containsKey(listener.id())) {
        LOG.info("listener {} found by reconciliation: delivery started", listener.id());
      }
      replaceWorker(listener);
    }
  }

  private boolean newerThanList(String listenerId) {
    return listenersChangedDuringLoad.contains(listenerId) || pendingCreations.contains(listenerId);
  }

  private void forgetChangesDuringLoad() {
    listenersChangedDuringLoad.clear();
    queuesDeletedDuringLoad.clear();
  }

  private void fetchAndStart(String listenerId) {
    if (loading) {
      listenersChangedDuringLoad.add(listenerId);
    }
    pendingCreations.add(listenerId);
    admin.listener(listenerId).onComplete(ar -> {
      if (!pendingCreations.remove(listenerId) || !running) {
        return;
      }
      if (ar.succeeded()) {
        replaceWorker(ar.result());
      } else if (FerryException.from(ar.cause()).code() == ErrorCode.NOT_FOUND) {
        LOG.debug("listener {} was deleted before it could be started", listenerId);
      } else {
        LOG.warn("listener {} created or updated but its details could not be fetched ({}); the next "
            + "reconciliation with admin picks it up", listenerId, ar.cause().getMessage());
      }
    });
  }

  private void listenerDeleted(String listenerId) {
    pendingCreations.remove(listenerId);
    lastLiveness.remove(listenerId);
    if (loading) {
      listenersChangedDuringLoad.add(listenerId);
    }
    ListenerWorker worker = workers.remove(listenerId);
    if (worker != null) {
      worker.stop();
      LOG.info("listener {} deleted or disabled: delivery stopped", listenerId);
    }
  }

  private void queueDeleted(String queueId) {
    if (loading) {
      queuesDeletedDuringLoad.add(queueId);
    }
    workers.values().removeIf(worker -> {
      if (!worker.listener().queueId().equals(queueId)) {
        return false;
      }
      worker.stop();
      LOG.info("queue {} deleted: delivery to listener {} stopped", queueId, worker.listener().id());
      return true;
    });
  }

  private void replaceWorker(ListenerInfo listener) {
    ListenerWorker existing = workers.get(listener.id());
    if (!listener.enabled()) {
      if (existing != null) {
        workers.remove(listener.id()).stop();
        LOG.info("listener {} disabled: delivery stopped", listener.id());
      }
      return;
    }
    if (existing != null && existing.listener().equals(listener) && existing.running()) {
      return;
    }
    if (existing != null) {
      workers.remove(listener.id()).stop();
    }
    startWorker(listener);
  }

  private void startWorker(ListenerInfo listener) {
    ListenerWorker worker;
    try {
      worker = workerFactory.apply(listener);
    } catch (IllegalArgumentException unusable) {
      // Once per version of the listener, not again at every reconciliation.
      if (unusableListeners.add(listener)) {
        LOG.error("listener {} cannot be delivered to: {}", listener.id(), unusable.getMessage());
      }
      return;
    }
    workers.put(listener.id(), worker);
    worker.whenGone(() -> workers.remove(listener.id(), worker));
    worker.start(checksLiveness.test(listener.id()), lastLiveness.get(listener.id()));
  }
}
