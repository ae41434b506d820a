package io.ferry.contracts.runtime;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.ferry.contracts.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Builds the Hazelcast cluster manager from {@link ClusterConfig}: TCP-IP or Kubernetes DNS, never multicast. */
final class HazelcastClusters {

  private HazelcastClusters() {
  }

  static HazelcastClusterManager create(ClusterConfig cluster) {
    // Start from Vert.x's defaults (the map and multimap settings its event bus relies on).
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster in its own shutdown sequence; Hazelcast's hook would race it.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Dead members are noticed in seconds rather than the default minute.
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");

    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.join() == ClusterConfig.Join.KUBERNETES) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesServiceDns());
    } else {
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
      join.getKubernetesConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    return new HazelcastClusterManager(hz);
  }
}
