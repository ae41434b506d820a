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
 * <p>With several dispatcher instances only one checks a given listener (see {@link DispatcherPeers}); the
 * others follow its published reports, so that they pause and resume delivery with it. An instance that takes
 * the checks over goes on from the last report: the counts carry on, and the next check is due one interval
 * after the last one, not at once.
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
  private long lastCheckedAtMs;
  private boolean running;
  private boolean checking;
  /** Set while this instance is the one that checks; cleared timers mean it follows another's reports. */
  private long timer = -1;

  LivenessMonitor(DispatcherServices services, ListenerInfo listener, Runnable onInactive, Runnable onStable) {
    this.services = services;
    this.listener = listener;
    this.onInactive = onInactive;
    this.onStable = onStable;
  }

  /** Checks at once (a receiver already down should not cost attempts), then every interval. */
  void start() {
    start(true, null);
  }

  /**
   * Starts checking ({@code checks}) or following the checking instance's reports, going on from
   * {@code lastReport} (null when none is known).
   */
  void start(boolean checks, ListenerLiveness lastReport) {
    if (listener.livenessUrl() == null || listener.livenessUrl().isBlank()) {
      return;
    }
    running = true;
    if (lastReport != null) {
      adopt(lastReport);
    }
    if (checks) {
      startChecking();
    }
  }

  /** This instance now checks the listener ({@code checks}), or leaves that to the instance that now does. */
  void checks(boolean checks, ListenerLiveness lastReport) {
    if (!running || checks == (timer >= 0)) {
      return;
    }
    if (checks) {
      if (lastReport != null && lastReport.checkedAtMs() > lastCheckedAtMs) {
        adopt(lastReport);
      }
      startChecking();
    } else {
      cancelTimer();
    }
  }

  /**
   * A report published by the instance that checks; ignored while this one checks itself. Taken as it comes,
   * not by its time: the instances' clocks may differ, and one instance's reports arrive in order.
   */
  void follow(ListenerLiveness report) {
    if (running && timer < 0) {
      adopt(report);
    }
  }

  void stop() {
    running = false;
    cancelTimer();
  }

  private void startChecking() {
    long interval = services.config().livenessIntervalMs();
    long dueInMs = lastCheckedAtMs == 0 ? 0 : lastCheckedAtMs + interval - System.currentTimeMillis();
    if (dueInMs <= 0) {
      timer = services.vertx().setPeriodic(interval, id -> check());
      check();
    } else {
      timer = services.vertx().setPeriodic(dueInMs, interval, id -> check());
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      services.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  /** Takes another instance's view over, pausing or resuming delivery as it says. */
  private void adopt(ListenerLiveness report) {
    State before = state;
    state = report.state();
    successes = report.successCount();
    failures = report.failureCount();
    lastCheckedAtMs = report.checkedAtMs();
    lastFailureAtMs = report.lastFailureAtMs();
    lastFailureStatus = report.lastFailureStatus();
    lastFailureMessage = report.lastFailureMessage();
    if (state == State.INACTIVE && before != State.INACTIVE) {
      onInactive.run();
    } else if (state != State.INACTIVE && before == State.INACTIVE) {
      onStable.run();
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
      // A check that completes after the checks moved to another instance is that instance's to report.
      if (running && timer >= 0) {
        record(ar.result());
      }
    });
  }

  private void record(DeliveryOutcome outcome) {
    State before = state;
    long now = System.currentTimeMillis();
    lastCheckedAtMs = now;
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
