package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.ListenerLiveness.State;
import org.junit.jupiter.api.Test;

class LivenessReportsTest {

  @Test
  void keepsTheReportOfTheLatestCheck() {
    LivenessReports reports = new LivenessReports();
    assertEquals(ListenerLiveness.unchecked("a"), reports.of("a"));
    ListenerLiveness second = new ListenerLiveness("a", State.UNSTABLE, 0, 1, 2_000);
    reports.record(second);
    reports.record(new ListenerLiveness("a", State.STABLE, 5, 0, 1_000));
    assertEquals(second, reports.of("a"));
    ListenerLiveness third = new ListenerLiveness("a", State.INACTIVE, 0, 3, 3_000);
    reports.record(third);
    assertEquals(third, reports.of("a"));
    reports.forget("a");
    assertEquals(ListenerLiveness.unchecked("a"), reports.of("a"));
  }
}
