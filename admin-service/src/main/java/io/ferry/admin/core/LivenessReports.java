package io.ferry.admin.core;

import io.ferry.contracts.model.ListenerLiveness;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest liveness each listener's dispatcher reported. Kept in memory only: reports are published to every
 * admin instance, so each holds the same, and the dispatcher reports again on every check, so after a restart
 * the state is back within one check interval.
 */
public final class LivenessReports {

  private final Map<String, ListenerLiveness> latest = new ConcurrentHashMap<>();

  /** Keeps {@code report} unless a report of a later check is already kept (reports may cross on the bus). */
  public void record(ListenerLiveness report) {
    latest.merge(report.listenerId(), report,
        (kept, fresh) -> fresh.checkedAtMs() >= kept.checkedAtMs() ? fresh : kept);
  }

  /** The latest report, or {@link ListenerLiveness#unchecked} before the first. */
  public ListenerLiveness of(String listenerId) {
    ListenerLiveness report = latest.get(listenerId);
    return report != null ? report : ListenerLiveness.unchecked(listenerId);
  }

  public void forget(String listenerId) {
    latest.remove(listenerId);
  }
}
