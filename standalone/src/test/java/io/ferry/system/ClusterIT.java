package io.ferry.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four services as separate JVMs started from their fat jars, clustered over Hazelcast (TCP-IP on
 * loopback, a cluster name of their own), each on its own HTTP port, with two ws-gateway instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

  static final String KEY = "fry_cluster-test-key-0123456789abcdefgh";
  static final Duration START = Duration.ofSeconds(120);

  @TempDir
  static Path dir;
  final List<FerryProcess> processes = new ArrayList<>();
  FerryProcess admin;
  FerryProcess messaging;
  FerryProcess gatewayA;
  FerryProcess gatewayB;

  @BeforeAll
  void startCluster() throws Exception {
    String clusterName = "ferry-it-" + UUID.randomUUID();
    String[] names = {"admin", "messaging", "dispatcher", "gateway-a", "gateway-b"};
    String[] jars = {"ferry.admin.jar", "ferry.messaging.jar", "ferry.dispatcher.jar", "ferry.gateway.jar",
        "ferry.gateway.jar"};
    int[] clusterPorts = new int[names.length];
    List<String> members = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      clusterPorts[i] = Ports.free();
      members.add("127.0.0.1:" + clusterPorts[i]);
    }
    for (int i = 0; i < names.length; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("FERRY_CLUSTER_NAME", clusterName);
      env.put("FERRY_CLUSTER_PORT", Integer.toString(clusterPorts[i]));
      env.put("FERRY_CLUSTER_MEMBERS", String.join(",", members));
      env.put("FERRY_STORAGE_DATA_DIR", dir.resolve("data").toString());
      env.put("FERRY_AUTH_BOOTSTRAP_KEY", KEY);
      env.put("FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8");
      env.put("FERRY_HTTP_INSTANCES", "1");
      processes.add(FerryProcess.start(names[i], jars[i], dir.resolve(names[i]), Ports.free(), env));
    }
    for (FerryProcess process : processes) {
      process.awaitReady(START);
    }
    admin = processes.get(0);
    messaging = processes.get(1);
    gatewayA = processes.get(3);
    gatewayB = processes.get(4);
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (FerryProcess process : processes) {
      process.close();
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
