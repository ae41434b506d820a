package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.NativeTransport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four services as separate JVMs started from their fat jars, clustered over Hazelcast (TCP-IP on
 * loopback, a cluster name of their own, event-bus TLS), each on its own HTTP port, with two ws-gateway
 * instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

  static final String KEY = "fry_cluster-test-key-0123456789abcdefgh";

  @TempDir
  static Path dir;
  FerryCluster cluster;
  FerryProcess admin;
  FerryProcess messaging;
  FerryProcess gatewayA;
  FerryProcess gatewayB;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = FerryCluster.start(dir, KEY, List.of(
        new FerryCluster.Node("admin", "ferry.admin.jar"),
        new FerryCluster.Node("messaging", "ferry.messaging.jar"),
        new FerryCluster.Node("dispatcher", "ferry.dispatcher.jar"),
        new FerryCluster.Node("gateway-a", "ferry.gateway.jar"),
        new FerryCluster.Node("gateway-b", "ferry.gateway.jar")));
    admin = cluster.process("admin");
    messaging = cluster.process("messaging");
    gatewayA = cluster.process("gateway-a");
    gatewayB = cluster.process("gateway-b");
  }

  @AfterAll
  void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  void everyServiceRunsOnEpollWithEventBusTls() {
    // The jars carry epoll for Linux x86-64 and arm64; bus TLS builds Vert.x its own way and must still pick it.
    Assumptions.assumeTrue(NativeTransport.epollShipsForThisPlatform());
    for (String node : List.of("admin", "messaging", "dispatcher", "gateway-b")) {
      FerryProcess process = cluster.process(node);
      assertTrue(process.output().contains("network transport: epoll"), process::output);
    }
  }

  @Test
  void skeletonFlowAcrossServicesAndAfterAGatewayIsKilled() throws Exception {
    SkeletonFlow.run(new SkeletonFlow.Endpoints(admin.baseUrl(), messaging.baseUrl(), gatewayA.baseUrl()),
        KEY, "cluster-before-kill");

    gatewayA.kill();

    SkeletonFlow.run(new SkeletonFlow.Endpoints(admin.baseUrl(), messaging.baseUrl(), gatewayB.baseUrl()),
        KEY, "cluster-after-kill");
  }
}
