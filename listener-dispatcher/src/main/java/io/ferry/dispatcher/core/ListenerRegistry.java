package io.ferry.dispatcher.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.ListenerInfo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link ListenerWorker} running per enabled webhook listener: all of them from admin's list on
 * start (asked again every second until admin answers), then following listener and queue events. A listener
 * that is updated is fetched again and its worker restarted (or stopped, when it is now disabled).
 *
 * <p>Confined to the event loop of the context that starts it; {@link #loaded()} may be read from anywhere.
 */
public final class ListenerRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);
  static final long ADMIN_RETRY_MS = 1_000;

  private final Vertx vertx;
  private final ListenerAdmin admin;
  private final Function<ListenerInfo, ListenerWorker> workerFactory;
  // Concurrent only so that activeListenerIds() may be read from other threads; written on the event loop.
  private final Map<String, ListenerWorker> workers = new ConcurrentHashMap<>();
  /** Listeners announced by an event whose details are still being fetched; a deletion cancels them. */
  private final Set<String> pendingCreations = new HashSet<>();
  /** Deletions (and disablings) seen before the initial list arrived: that list may predate them. */
  private final Set<String> deletedListenersBeforeLoad = new HashSet<>();
  private final Set<String> deletedQueuesBeforeLoad = new HashSet<>();

  private volatile boolean loaded;
  private boolean running;
  private long retryTimer = -1;

  public ListenerRegistry(Vertx vertx, ListenerAdmin admin, Function<ListenerInfo, ListenerWorker> workerFactory) {
    this.vertx = vertx;
    this.admin = admin;
    this.workerFactory = workerFactory;
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
      case EventTypes.LISTENER_CREATED, EventTypes.LISTENER_UPDATED -> fetchAndStart(event.resourceId());
      case EventTypes.LISTENER_DELETED, EventTypes.LISTENER_DISABLED -> listenerDeleted(event.resourceId());
      case EventTypes.QUEUE_DELETED -> queueDeleted(event.resourceId());
      default -> {
        // other events do not change who is delivered to
      }
    }
  }

  /**
   * Stops every worker and waits up to {@code drainTimeoutMs} for the deliveries under way to be settled.
   */
  public Future<Void> stop(long drainTimeoutMs) {
    running = false;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    List<Future<Void>> drains = new ArrayList<>();
    workers.values().forEach(worker -> drains.add(worker.stop()));
    workers.clear();
    Promise<Void> drained = Promise.promise();
    long timer = vertx.setTimer(drainTimeoutMs, id -> {
      if (drained.tryComplete()) {
        LOG.warn("deliveries still in flight after {} ms; their leases will expire", drainTimeoutMs);
      }
    });
    Future.join(drains).onComplete(ar -> {
      vertx.cancelTimer(timer);
      drained.tryComplete();
    });
    return drained.future();
  }

  private void loadAll() {
    if (!running) {
      return;
    }
    admin.allListeners().onComplete(ar -> {
      if (!running) {
        return;
      }
      if (ar.failed()) {
        LOG.info("listeners not loaded yet ({}); asking admin again in {} ms", ar.cause().getMessage(),
            ADMIN_RETRY_MS);
        retryTimer = vertx.setTimer(ADMIN_RETRY_MS, id -> {
          retryTimer = -1;
          loadAll();
        });
        return;
      }
      for (ListenerInfo listener : ar.result()) {
        if (listener.enabled()
            && !deletedListenersBeforeLoad.contains(listener.id())
            && !deletedQueuesBeforeLoad.contains(listener.queueId())
            && !workers.containsKey(listener.id())) {
          startWorker(listener);
        }
      }
      deletedListenersBeforeLoad.clear();
      deletedQueuesBeforeLoad.clear();
      loaded = true;
      LOG.info("delivering to {} webhook listener(s)", workers.size());
    });
  }

  private void fetchAndStart(String listenerId) {
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
        // Admin is unreachable: the next listener event or a restart picks the listener up.
        LOG.warn("listener {} created but its details could not be fetched: {}", listenerId,
            ar.cause().getMessage());
      }
    });
  }

  private void listenerDeleted(String listenerId) {
    pendingCreations.remove(listenerId);
    if (!loaded) {
      deletedListenersBeforeLoad.add(listenerId);
    }
    ListenerWorker worker = workers.remove(listenerId);
    if (worker != null) {
      worker.stop();
      LOG.info("listener {} deleted or disabled: delivery stopped", listenerId);
    }
  }

  private void queueDeleted(String queueId) {
    if (!loaded) {
      deletedQueuesBeforeLoad.add(queueId);
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
      LOG.error("listener {} cannot be delivered to: {}", listener.id(), unusable.getMessage());
      return;
    }
    workers.put(listener.id(), worker);
    worker.whenGone(() -> workers.remove(listener.id(), worker));
    worker.start();
  }
}
