package io.ferry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which {@code --peers} row does the same work as which Ferry row, and the "vs. peers" cell of Ferry's rows:
 * Ferry's median throughput ÷ each peer's at the same client count (above 1× Ferry is ahead).
 */
final class PeerRatios {

  private static final String DASH = "—";
  private static final Map<String, String> FERRY_ROW_OF_PEER = Map.of(
      RedisPeerScenario.PUSH_ID, "batch-push",
      RedisPeerScenario.PULL_ACK_ID, "pull-ack",
      ElasticMqPeerScenario.PUSH_ID, "batch-push",
      ElasticMqPeerScenario.PULL_ACK_ID, "pull-ack");
  private static final Map<String, String> PEER_NAMES = Map.of(
      RedisPeerScenario.PUSH_ID, "Redis",
      RedisPeerScenario.PULL_ACK_ID, "Redis",
      ElasticMqPeerScenario.PUSH_ID, "ElasticMQ",
      ElasticMqPeerScenario.PULL_ACK_ID, "ElasticMQ");

  private PeerRatios() {
  }

  /** The Ferry scenario a peer row is compared with, or null when the id is not a peer's. */
  static String ferryRowOf(String peerId) {
    return FERRY_ROW_OF_PEER.get(peerId);
  }

  /** E.g. {@code Redis 0.56×; ElasticMQ skipped}; a dash for rows no peer shadows or when no peer ran. */
  static String cell(ScenarioResult ferry, List<ScenarioResult> rows) {
    List<String> parts = new ArrayList<>();
    for (ScenarioResult peer : rows) {
      String ferryId = ferryRowOf(peer.scenario().id());
      if (ferryId == null || !ferryId.equals(ferry.scenario().id()) || peer.clients() != ferry.clients()) {
        continue;
      }
      String name = PEER_NAMES.get(peer.scenario().id());
      if (peer.skipped()) {
        parts.add(name + " skipped");
      } else if (!peer.measured() || !ferry.measured()) {
        parts.add(name + (peer.measured() ? " " + DASH : " failed"));
      } else {
        parts.add(name + " " + ratio(ferry.medianRate(), peer.medianRate()));
      }
    }
    return parts.isEmpty() ? DASH : String.join("; ", parts);
  }

  static String ratio(double ferry, double peer) {
    return peer > 0 ? String.format(Locale.ROOT, "%.2f×", ferry / peer) : DASH;
  }
}
