package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two listener-dispatcher instances serving the same listeners (with admin and messaging, each its own JVM
 * from its fat jar, clustered over Hazelcast): leases are exclusive, so without a crash every message reaches
 * the receiver exactly once even though both instances deliver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispatcherClusterIT {

  static final String KEY = "fry_dispatchers-test-key-0123456789abcd";
  static final Duration START = Duration.ofSeconds(120);
  static final int MESSAGES = 2_000;
  static final int BATCH = 100;

  @TempDir
  static Path dir;
  final List<FerryProcess> processes = new ArrayList<>();
  ScriptedReceiver receiver;

  @BeforeAll
  void startCluster() throws Exception {
    receiver = new ScriptedReceiver();
    String clusterName = "ferry-dispatchers-" + UUID.randomUUID();
    String[] names = {"admin", "messaging", "dispatcher-a", "dispatcher-b"};
    String[] jars = {"ferry.admin.jar", "ferry.messaging.jar", "ferry.dispatcher.jar", "ferry.dispatcher.jar"};
    List<String> members = new ArrayList<>();
    int[] clusterPorts = new int[names.length];
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
      env.put("FERRY_DISPATCHER_LEASE_WAIT_MS", "500");
      processes.add(FerryProcess.start(names[i], jars[i], dir.resolve(names[i]), Ports.free(), env));
    }
    for (FerryProcess process : processes) {
      process.awaitReady(START);
    }
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (FerryProcess process : processes) {
      process.close();
    }
    receiver.close();
  }

  @Test
  void twoDispatchersDeliverEveryMessageExactlyOnce() throws Exception {
    FerryProcess admin = processes.get(0);
    FerryProcess messaging = processes.get(1);
    HttpJson http = new HttpJson(KEY);
    HttpJson.Reply queue = http.post(admin.baseUrl() + "/v1/queues", new JsonObject().put("name", "two-dispatchers"));
    assertEquals(200, queue.status(), queue::toString);
    String queueId = queue.object().getJsonObject("queue").getString("id");
    HttpJson.Reply listener = http.post(admin.baseUrl() + "/v1/queues/" + queueId + "/listeners", new JsonObject()
        .put("name", "shared")
        .put("notify_url", receiver.hookUrl("shared"))
        .put("liveness_url", receiver.livenessUrl("shared")));
    assertEquals(200, listener.status(), listener::toString);

    String messages = "/client/v4/accounts/" + SkeletonFlow.accountId(http, admin.baseUrl()) + "/queues/" + queueId
        + "/messages/batch";
    for (int first = 0; first < MESSAGES; first += BATCH) {
      JsonArray batch = new JsonArray();
      for (int n = first; n < first + BATCH; n++) {
        batch.add(new JsonObject().put("body", new JsonObject().put("n", n)));
      }
      HttpJson.Reply pushed = http.post(messaging.baseUrl() + messages, new JsonObject().put("messages", batch));
      assertEquals(200, pushed.status(), pushed::toString);
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (distinct() < MESSAGES && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(MESSAGES, distinct(), "distinct messages delivered");
    // Give a duplicate (a lease handed out twice) time to show up.
    Thread.sleep(2_000);
    Map<String, Long> perMessage = receiver.deliveries("shared").stream()
        .collect(Collectors.groupingBy(ScriptedReceiver.Delivery::messageId, Collectors.counting()));
    Map<String, Long> duplicates = perMessage.entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertTrue(duplicates.isEmpty(), duplicates.size() + " messages delivered more than once: " + duplicates);
    assertEquals(MESSAGES, receiver.deliveries("shared").size());
    Map<Integer, Long> perNumber = receiver.deliveries("shared").stream()
        .collect(Collectors.groupingBy(d -> d.json().getJsonObject("data").getInteger("n"), Collectors.counting()));
    assertEquals(MESSAGES, perNumber.size());
    assertTrue(perNumber.values().stream().allMatch(count -> count == 1));
    assertTrue(processes.stream().allMatch(FerryProcess::isAlive), "a process died");
    // Both instances took part: each sent a share of the POSTs, and together exactly one per message.
    long byA = postsSent(http, processes.get(2));
    long byB = postsSent(http, processes.get(3));
    assertTrue(byA > 0 && byB > 0, "deliveries per dispatcher: " + byA + " and " + byB);
    assertEquals(MESSAGES, byA + byB);
  }

  /** Webhook POSTs a dispatcher sent, from its Prometheus metrics. */
  private static long postsSent(HttpJson http, FerryProcess dispatcher) throws Exception {
    String metrics = http.client().send(HttpRequest.newBuilder(URI.create(dispatcher.baseUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    String prefix = "vertx_http_client_requests_total{method=\"POST\"} ";
    return metrics.lines().filter(line -> line.startsWith(prefix))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(prefix.length()))).sum();
  }

  private long distinct() {
    return receiver.deliveries("shared").stream().map(ScriptedReceiver.Delivery::messageId)
        .collect(Collectors.toSet()).size();
  }
}
