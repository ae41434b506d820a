package io.ferry.system;

import io.ferry.contracts.testkit.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Service fat jars as separate JVMs, clustered over Hazelcast (TCP-IP on loopback, a cluster name of their
 * own), each on its own HTTP port, with event-bus TLS from a test CA (one member certificate for all, as a
 * deployment's Secret would hold).
 */
final class FerryCluster implements AutoCloseable {

  static final Duration START = Duration.ofSeconds(120);
  private static final int PORT_ATTEMPTS = 3;

  /**
   * A process to start: its name, the system property naming its jar, env beyond the common one, and JVM options
   * beyond {@link FerryProcess}'s.
   */
  record Node(String name, String jarProperty, Map<String, String> env, List<String> jvmOptions) {

    Node(String name, String jarProperty, Map<String, String> env) {
      this(name, jarProperty, env, List.of());
    }

    Node(String name, String jarProperty) {
      this(name, jarProperty, Map.of());
    }
  }

  private final String name;
  private final List<String> members;
  private final ClusterCertificates certificates;
  private final Map<String, FerryProcess> processes = new LinkedHashMap<>();
  private final Map<String, Launch> launches = new HashMap<>();

  // How a node was started, so that it can be started again the same way.
  private record Launch(Node node, Path workDir, int httpPort, Map<String, String> env) {

    FerryProcess start() throws Exception {
      return FerryProcess.start(node.name(), node.jarProperty(), workDir, httpPort, env, node.jvmOptions());
    }
  }

  private FerryCluster(String name, List<String> members, ClusterCertificates certificates) {
    this.name = name;
    this.members = members;
    this.certificates = certificates;
  }

  /**
   * Starts every node and waits until each is ready; the first node should be admin, and the others start once
   * it is ready (as deploy/local/cluster starts them).
   */
  static FerryCluster start(Path dir, String bootstrapKey, List<Node> nodes) throws Exception {
    ClusterCertificates certificates = ClusterCertificates.create(dir.resolve("certs"));
    ClusterCertificates.Member member = certificates.issue("member");
    List<String> members = new ArrayList<>();
    int[] clusterPorts = new int[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      clusterPorts[i] = Ports.free();
      members.add("127.0.0.1:" + clusterPorts[i]);
    }
    FerryCluster cluster = new FerryCluster("ferry-it-" + UUID.randomUUID(), List.copyOf(members), certificates);
    try {
      for (int i = 0; i < nodes.size(); i++) {
        Node node = nodes.get(i);
        Map<String, String> env = new HashMap<>(cluster.joinEnv());
        env.put("FERRY_CLUSTER_PORT", Integer.toString(clusterPorts[i]));
        env.put("FERRY_STORAGE_DATA_DIR", dir.resolve("data").toString());
        env.put("FERRY_AUTH_BOOTSTRAP_KEY", bootstrapKey);
        env.put("FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8");
        env.put("FERRY_HTTP_INSTANCES", "1");
        env.putAll(member.env());
        env.putAll(node.env());
        Launch launch = new Launch(node, dir.resolve(node.name()), Ports.free(), Map.copyOf(env));
        cluster.launches.put(node.name(), launch);
        cluster.processes.put(node.name(), launch.start());
        if (i == 0) {
          // The first node (admin) migrates the schema and forms the cluster: alone on the cores it starts in
          // seconds, where next to eight other starting JVMs it once missed its start-up deadline.
          cluster.awaitReady(node.name());
        }
      }
      for (String name : List.copyOf(cluster.processes.keySet())) {
        cluster.awaitReady(name);
      }
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  // Each process's HTTP port is picked free before its launch, but a node started earlier can take it in the
  // meantime (its event bus listens on an ephemeral port); such a node exits saying it cannot listen, and
  // gets another free port.
  private void awaitReady(String name) throws Exception {
    for (int attempt = 1; ; attempt++) {
      FerryProcess process = processes.get(name);
      try {
        process.awaitReady(START);
        return;
      } catch (AssertionError notReady) {
        if (attempt == PORT_ATTEMPTS || !process.output().contains("cannot listen")) {
          throw notReady;
        }
        Launch taken = launches.get(name);
        Launch again = new Launch(taken.node(), taken.workDir(), Ports.free(), taken.env());
        launches.put(name, again);
        processes.put(name, again.start());
      }
    }
  }

  /** What a process needs to find this cluster: its name and members (but no certificate). */
  Map<String, String> joinEnv() {
    return Map.of("FERRY_CLUSTER_NAME", name, "FERRY_CLUSTER_MEMBERS", String.join(",", members));
  }

  String name() {
    return name;
  }

  List<String> members() {
    return members;
  }

  ClusterCertificates certificates() {
    return certificates;
  }

  FerryProcess process(String nodeName) {
    FerryProcess process = processes.get(nodeName);
    if (process == null) {
      throw new IllegalArgumentException("no node " + nodeName + " in " + processes.keySet());
    }
    return process;
  }

  /**
   * Stops a node (SIGTERM, as a rollout would) and starts it again as before: same ports, environment and
   * working directory (its log continues); returns the new process once it is ready.
   */
  FerryProcess restart(String nodeName) throws Exception {
    process(nodeName).terminate(Duration.ofSeconds(60));
    return startAgain(nodeName);
  }

  /** Starts a node that was killed or stopped again as before; returns the new process once it is ready. */
  FerryProcess startAgain(String nodeName) throws Exception {
    if (process(nodeName).isAlive()) {
      throw new IllegalStateException(nodeName + " is still running");
    }
    FerryProcess restarted = launches.get(nodeName).start();
    processes.put(nodeName, restarted);
    return restarted.awaitReady(START);
  }

  @Override
  public void close() throws InterruptedException {
    for (FerryProcess process : processes.values()) {
      process.close();
    }
  }
}
