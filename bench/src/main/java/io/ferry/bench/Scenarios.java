package io.ferry.bench;

import java.util.List;

/**
 * Every scenario, in the order they run. The ceiling comes first, while no Ferry JVM exists yet; so do the
 * PostgreSQL peer rows ({@code --storage postgres} only), which need the database but not Ferry. The
 * {@code --peers} rows run right after Ferry's row of the same work.
 */
final class Scenarios {

  private Scenarios() {
  }

  static List<Scenario> all() {
    return List.of(
        new CeilingScenario(),
        PeerQueueScenario.produce(),
        PeerQueueScenario.consume(),
        PushScenario.batch(),
        PushScenario.batchSpread(),
        RedisPeerScenario.push(),
        ElasticMqPeerScenario.push(),
        PushScenario.single(),
        new PullAckScenario(),
        RedisPeerScenario.pullAck(),
        ElasticMqPeerScenario.pullAck(),
        WsFanOutScenario.latency(),
        WsFanOutScenario.capacity(),
        new WsConnectionsScenario(),
        new WebhookDeliveryScenario());
  }
}
