package io.ferry.messaging.core;

import io.ferry.contracts.model.TopologySnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On start, brings messaging's copy of the topology in line with admin-service, which owns it: asks for a
 * snapshot every second until admin answers, then applies it. Until then the topology is not ready. Topology
 * commands that reach the engine while the snapshot is on its way are newer than it and stand.
 */
public final class TopologyReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(TopologyReconciler.class);
  private static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final TopologySource admin;
  private final MessagingEngine engine;
  private volatile boolean reconciled;
  private volatile boolean stopped;
  private long retryTimer = -1;
  private int attempts;
  // Each round of attempts; an answer of an older round schedules no retry, so rounds never run side by side.
  private int round;

  public TopologyReconciler(Vertx vertx, TopologySource admin, MessagingEngine engine) {
    this.vertx = vertx;
    this.admin = admin;
    this.engine = engine;
  }

  public void start() {
    attempt();
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(retryTimer);
  }

  /**
   * Reconciles again, as on start: after the engine reloaded its state from the store, topology changes
   * refused while it could not serve are caught up from admin-service. Readiness is not withdrawn meanwhile.
   */
  public void reconcileAgain() {
    if (!stopped) {
      vertx.cancelTimer(retryTimer);
      attempts = 0;
      round++;
      attempt();
    }
  }

  /** Whether the topology has been reconciled with admin-service since start. */
  public boolean reconciled() {
    return reconciled;
  }

  private void attempt() {
    if (stopped) {
      return;
    }
    attempts++;
    int current = round;
    // Noted before asking: a listener created while the snapshot is on its way is not in it, and must not lose
    // its subscription (with every message pushed to it) when the snapshot is applied.
    engine.snapshotAsked()
        .compose(v -> admin.snapshot())
        // A superseded round's snapshot is left to the newer round, which asked later and noted commands since.
        .compose(snapshot -> current != round ? Future.<TopologySnapshot>succeededFuture()
            : engine.reconcile(snapshot).map(snapshot))
        .onSuccess(snapshot -> {
          if (snapshot == null) {
            return;
          }
          reconciled = true;
          LOG.info("topology reconciled with admin: {} queues, {} subscriptions", snapshot.queues().size(),
              snapshot.subscriptions().size());
        })
        .onFailure(e -> {
          if (attempts == 1) {
            LOG.info("waiting for admin-service to reconcile the topology ({})", e.getMessage());
          } else {
            LOG.debug("topology reconciliation attempt {} failed: {}", attempts, e.getMessage());
          }
          if (!stopped && current == round) {
            retryTimer = vertx.setTimer(RETRY_MS, id -> attempt());
          }
        });
  }
}
