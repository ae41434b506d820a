package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster of the messaging failover tests, on one PostgreSQL schema: two admin instances, {@code
 * messaging} messaging instances with a short shard lease, two dispatchers and two gateways, each its own JVM;
 * with the queues the load uses already made: {@code queues} Cloudflare queues with a pull consumer each (the
 * first one also with a webhook listener) and one Sonya queue.
 */
final class FailoverCluster implements AutoCloseable {

  static final String KEY = "fry_failover-test-key-0123456789abcdef01";
  static final String HOOK = "failover";
  static final String SONYA_QUEUE = "failover-live";

  final int messaging;
  final int shardLeaseMs;
  final FerryCluster cluster;
  final ScriptedReceiver receiver;
  final List<QueueClient> queues = new ArrayList<>();

  /** The FERRY_* storage environment every admin and messaging instance runs with. */
  final Map<String, String> storage;

  private FailoverCluster(int messaging, int shardLeaseMs, FerryCluster cluster, ScriptedReceiver receiver,
      Map<String, String> storage) {
    this.storage = storage;
    this.messaging = messaging;
    this.shardLeaseMs = shardLeaseMs;
    this.cluster = cluster;
    this.receiver = receiver;
  }

  static FailoverCluster start(Path dir, int messaging, int shardLeaseMs, int queues) throws Exception {
    System.out.println("failover cluster: processes' logs in " + dir + " (kept if the test fails)");
    Map<String, String> storage = PostgresStorage.freshSchema();
    List<FerryCluster.Node> nodes = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Map<String, String> admin = new HashMap<>(storage);
      admin.put("FERRY_STORAGE_DATA_DIR", dir.resolve("admin-" + i + "-data").toString());
      admin.put("FERRY_STORAGE_SECRETS_KEY", "failover-secrets-key-0123456789abcdef0123");
      nodes.add(new FerryCluster.Node("admin-" + i, "ferry.admin.jar", admin));
    }
    for (int i = 1; i <= messaging; i++) {
      Map<String, String> env = new HashMap<>(storage);
      env.put("FERRY_STORAGE_DATA_DIR", dir.resolve("messaging-" + i + "-data").toString());
      // messaging.shard-lease-ms (docs/scale-out.md): how long a dead owner's shards wait for a taker.
      env.put("FERRY_MESSAGING_SHARD_LEASE_MS", Integer.toString(shardLeaseMs));
      // The heap docs/operations.md sizes for what an instance may hold here (every message stays retained for
      // the run, up to ~1.6M over a soak, and an instance holds up to half of the shards while another stops),
      // as deploy/local/cluster gives it; the processes' 256 MB default is below that.
      nodes.add(new FerryCluster.Node(messagingName(i), "ferry.messaging.jar", env, List.of("-Xmx384m")));
    }
    for (int i = 1; i <= 2; i++) {
      nodes.add(new FerryCluster.Node("dispatcher-" + i, "ferry.dispatcher.jar",
          Map.of("FERRY_DISPATCHER_LEASE_WAIT_MS", "500")));
    }
    for (int i = 1; i <= 2; i++) {
      nodes.add(new FerryCluster.Node("gateway-" + i, "ferry.gateway.jar"));
    }
    ScriptedReceiver receiver = new ScriptedReceiver();
    FerryCluster cluster;
    try {
      cluster = FerryCluster.start(dir, KEY, nodes);
    } catch (Exception | Error e) {
      receiver.close();
      throw e;
    }
    FailoverCluster failover = new FailoverCluster(messaging, shardLeaseMs, cluster, receiver, storage);
    try {
      failover.createQueues(queues);
    } catch (Exception | Error e) {
      failover.close();
      throw e;
    }
    return failover;
  }

  private void createQueues(int count) throws Exception {
    String admin = cluster.process("admin-1").baseUrl();
    HttpJson http = new HttpJson(KEY);
    for (int q = 0; q < count; q++) {
      QueueClient created = QueueClient.createQueue(admin, KEY, "failover-" + q, 100);
      queues.add(created.across(messagingBases(), q));
    }
    String firstQueueId = queues.get(0).queueId();
    HttpJson.Reply listener = http.post(admin + "/v1/queues/" + firstQueueId + "/listeners", new JsonObject()
        .put("name", HOOK).put("notify_url", receiver.hookUrl(HOOK)).put("liveness_url", receiver.livenessUrl(HOOK)));
    assertEquals(200, listener.status(), listener::toString);
    HttpJson.Reply sonya = http.post(cluster.process("admin-2").baseUrl() + "/queue/create/" + SONYA_QUEUE, null);
    assertEquals(201, sonya.status(), sonya::toString);
  }

  static String messagingName(int instance) {
    return "messaging-" + instance;
  }

  FerryProcess messaging(int instance) {
    return cluster.process(messagingName(instance));
  }

  /** Every messaging instance's base URL, in instance order (their ports stay the same across restarts). */
  List<String> messagingBases() {
    List<String> bases = new ArrayList<>();
    for (int i = 1; i <= messaging; i++) {
      bases.add(messaging(i).baseUrl());
    }
    return bases;
  }

  List<String> gatewayBases() {
    return List.of(cluster.process("gateway-1").baseUrl(), cluster.process("gateway-2").baseUrl());
  }

  @Override
  public void close() throws Exception {
    try {
      cluster.close();
    } finally {
      receiver.close();
    }
  }
}
