package io.ferry.dispatcher.core;

import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.ListenerLiveness.State;
import io.ferry.contracts.net.UrlRedaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a listener's {@code liveness_url} every {@code livenessIntervalMs} (GET, 2xx within
 * {@code livenessTimeoutMs}, SSRF-checked like deliveries). {@code livenessFailureThreshold} failures in a row
 * make the listener inactive and pause its delivery, so that no attempts are burnt on a receiver known to be
 * down; one success makes it stable again and resumes. Fewer failures make it unstable, which changes nothing
 * for delivery. Every check is reported to admin for the listener object. A listener without a liveness URL is
 * never checked and stays stable.
 *
 * <p>Confined to the event loop of the context that starts it.
 */
final class LivenessMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(LivenessMonitor.class);

  private final DispatcherServices services;
  private final ListenerInfo listener;
  private final Runnable onInactive;
  private final Runnable onStable;

  private State state = State.STABLE;
  private int successes;
  private int failures;
  private long lastFailureAtMs;
  private int lastFailureStatus;
  private String lastFailureMessage;
  private boolean running;
  private boolean checking;
  private long timer = -1;

  LivenessMonitor(DispatcherServices services, ListenerInfo listener, Runnable onInactive, Runnable onStable) {
    this.services = services;
    this.listener = listener;
    this.onInactive = onInactive;
    this.onStable = onStable;
  }

  /** Checks at once (a receiver already down should not cost attempts), then every interval. */
  void start() {
    if (listener.livenessUrl() == null || listener.livenessUrl().isBlank()) {
      return;
    }
    running = true;
    check();
    timer = services.vertx().setPeriodic(services.config().livenessIntervalMs(), id -> check());
  }

  void stop() {
    running = false;
    if (timer >= 0) {
      services.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  State state() {
    return state;
  }

  private void check() {
    if (!running || checking) {
      return;
    }
    checking = true;
    services.sender().probe(listener.livenessUrl(), services.config().livenessTimeoutMs()).onComplete(ar -> {
      checking = false;
      if (running) {
        record(ar.result());
      }
    });
  }

  private void record(DeliveryOutcome outcome) {
    State before = state;
    long now = System.currentTimeMillis();
    if (outcome.delivered()) {
      successes++;
      failures = 0;
      state = State.STABLE;
    } else {
      failures++;
      successes = 0;
      // Kept after a later success too, so that a user can see why the listener was unstable.
      lastFailureAtMs = now;
      lastFailureStatus = outcome.statusCode();
      lastFailureMessage = outcome.reason();
      if (failures >= services.config().livenessFailureThreshold()) {
        state = State.INACTIVE;
      } else if (state == State.STABLE) {
        state = State.UNSTABLE;
      }
      LOG.info("listener {}: liveness check {} failed ({} in a row): {}", listener.id(),
          UrlRedaction.redact(listener.livenessUrl()), failures, outcome.reason());
    }
    ListenerLiveness liveness = new ListenerLiveness(listener.id(), state, successes, failures, now,
        lastFailureAtMs, lastFailureStatus, lastFailureMessage);
    services.admin().reportLiveness(liveness);
    if (state == State.INACTIVE && before != State.INACTIVE) {
      LOG.warn("listener {} is inactive after {} failed liveness checks: delivery paused", listener.id(), failures);
      services.events().livenessChanged(listener, liveness);
      onInactive.run();
    } else if (state == State.STABLE && before == State.INACTIVE) {
      LOG.info("listener {} is stable again: delivery resumed", listener.id());
      services.events().livenessChanged(listener, liveness);
      onStable.run();
    }
  }
}
