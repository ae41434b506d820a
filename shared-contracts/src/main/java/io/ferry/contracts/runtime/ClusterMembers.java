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

  private ClusterMembers() {
  }

  /** This process's member id: Hazelcast's for it, as {@link #onLeft} reports others'. */
  public static String localId(Vertx vertx) {
    HazelcastClusterManager hazelcast = hazelcast(vertx);
    return hazelcast == null ? LOCAL
        : hazelcast.getHazelcastInstance().getCluster().getLocalMember().getUuid().toString();
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
        memberId.accept(event.getMember().getUuid().toString());
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
