package io.ferry.bench;

import java.util.List;

/** Every scenario, in the order they run. The ceiling comes first, while no Ferry JVM exists yet. */
final class Scenarios {

  private Scenarios() {
  }

  static List<Scenario> all() {
    return List.of(
        new CeilingScenario(),
        PushScenario.batch(),
        PushScenario.single(),
        new PullAckScenario(),
        new WsFanOutScenario(),
        new WsConnectionsScenario(),
        new WebhookDeliveryScenario());
  }
}
