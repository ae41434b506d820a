package io.ferry.contracts.runtime;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * This process as a member of the cluster, and word of other members leaving. Hazelcast notices a member whose
 * process died (kill -9 included) within moments of its connections closing, well before any request to it would
 * time out. A process on a local Vert.x is a cluster of one: it has an id of its own and hears of no departure.
 */
public final class ClusterMembers {

  private static final String LOCAL = "local-" + UUID.randomUUID();
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private ClusterMembers() {
  }

  /**
   * This process's member id, as {@link #onLeft} reports others': Vert.x's node id, which is also how the event
   * bus's registrations name the member that holds them.
   */
  public static String localId(Vertx vertx) {
    HazelcastClusterManager hazelcast = hazelcast(vertx);
    return hazelcast == null ? LOCAL : hazelcast.getNodeId();
  }

  /** Calls {@code memberId} with each member that leaves, on a Hazelcast thread; returns what stops it. */
  public static Runnable onLeft(Vertx vertx, Consumer<String> memberId) {
    HazelcastClusterManager hazelcast = hazelcast(vertx);
    if (hazelcast == null) {
      return () -> { };
    }
    var cluster = hazelcast.getHazelcastInstance().getCluster();
    UUID registration = cluster.addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        // Where Vert.x's Hazelcast cluster manager keeps a member's node id.
        String nodeId = event.getMember().getAttribute(VERTX_NODE_ID);
        memberId.accept(nodeId != null ? nodeId : event.getMember().getUuid().toString());
      }
    });
    return () -> {
      try {
        cluster.removeMembershipListener(registration);
      } catch (RuntimeException notRunning) {
        // Hazelcast has shut down with the node: nothing is listening any more.
      }
    };
  }

  private static HazelcastClusterManager hazelcast(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hazelcast ? hazelcast : null;
  }
}
