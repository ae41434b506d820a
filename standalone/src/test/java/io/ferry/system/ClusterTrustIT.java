package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster as a trust boundary: a process that knows the cluster's name and members and has Ferry's
 * classes, but not a certificate of the cluster CA, joins the Hazelcast membership (which open source
 * Hazelcast cannot prevent), registers a consumer on the authentication address that answers with a
 * principal of another tenant, and asks admin for the topology. It must learn nothing, receive no
 * credential, and never be the one that answers; real credentials keep working meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTrustIT {

  static final String KEY = "fry_trust-test-root-key-0123456789abcdef";

  @TempDir
  static Path dir;
  FerryCluster cluster;
  FerryProcess admin;
  FerryProcess messaging;
  final List<FerryProcess> rogues = new ArrayList<>();

  @BeforeAll
  void startCluster() throws Exception {
    cluster = FerryCluster.start(dir, KEY, List.of(
        new FerryCluster.Node("admin", "ferry.admin.jar"),
        new FerryCluster.Node("messaging", "ferry.messaging.jar"),
        new FerryCluster.Node("dispatcher", "ferry.dispatcher.jar"),
        new FerryCluster.Node("gateway", "ferry.gateway.jar")));
    admin = cluster.process("admin");
    messaging = cluster.process("messaging");
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (FerryProcess rogue : rogues) {
      rogue.close();
    }
    cluster.close();
  }

  @Test
  void aMemberWithoutACertificateGainsNothing() throws Exception {
    rogueGainsNothing("rogue-plain", List.of());
  }

  @Test
  void aMemberWithASelfSignedCertificateGainsNothing() throws Exception {
    ClusterCertificates.Member own = cluster.certificates().selfSigned("rogue-self-signed");
    rogueGainsNothing("rogue-self-signed", List.of(own.certFile().toString(), own.keyFile().toString()));
  }

  @Test
  void aClusteredProcessWithoutCertificatesRefusesToStart() throws Exception {
    Map<String, String> env = new HashMap<>(cluster.joinEnv());
    env.put("FERRY_CLUSTER_PORT", Integer.toString(Ports.free()));
    env.put("FERRY_STORAGE_DATA_DIR", dir.resolve("refused-data").toString());
    FerryProcess refused = FerryProcess.start("refused", "ferry.messaging.jar", dir.resolve("refused"),
        Ports.free(), env);
    assertEquals(2, refused.awaitExit(Duration.ofSeconds(60)), refused::output);
    assertTrue(refused.output().contains("cluster.tls.cert-file, cluster.tls.key-file and cluster.tls.ca-file")
        && refused.output().contains("cluster.insecure-bus"), refused::output);
  }

  private void rogueGainsNothing(String name, List<String> tlsArgs) throws Exception {
    HttpJson root = new HttpJson(KEY);
    HttpJson.Reply client = root.post(admin.baseUrl() + "/v1/api_clients", new JsonObject().put("name", name));
    assertEquals(200, client.status(), client::toString);
    String accountB = client.object().getJsonObject("api_client").getString("id");
    HttpJson tenantB = new HttpJson(client.object().getString("api_key"));
    String cf = "/client/v4/accounts/" + accountB + "/queues";
    HttpJson.Reply queue = tenantB.post(admin.baseUrl() + cf, new JsonObject().put("queue_name", "secrets"));
    assertEquals(200, queue.status(), queue::toString);
    String queueUrl = cf + "/" + queue.object().getJsonObject("result").getString("queue_id");
    assertEquals(200, tenantB.post(admin.baseUrl() + queueUrl + "/consumers",
        new JsonObject().put("type", "http_pull")).status());
    assertEquals(200, tenantB.post(messaging.baseUrl() + queueUrl + "/messages",
        new JsonObject().put("body", "tenant-b-secret")).status());

    List<String> args = new ArrayList<>(List.of(cluster.name(), String.join(",", cluster.members()), accountB));
    args.addAll(tlsArgs);
    FerryProcess rogue = FerryProcess.startMain(name, RogueMember.class, dir.resolve(name), args);
    rogues.add(rogue);
    Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> rogue.output().contains("READY")
        || !rogue.isAlive());
    assertTrue(rogue.isAlive(), rogue::output);
    // Its first topology request has been answered (refused) by then, so its consumer is known cluster-wide.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rogue.output().contains("TOPOLOGY"));

    // Junk of every shape; a failure is never cached, so each one is a fresh authentication request that
    // Vert.x's round-robin would have handed to the rogue every other time.
    for (int i = 0; i < 6; i++) {
      for (String junk : List.of("junk-" + name + "-" + i, "fry_junk-" + name + "-" + i,
          "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ" + i + "In0.c2lnbmF0dXJl")) {
        HttpJson.Reply stolen = withRogue(rogue, () -> new HttpJson(junk).post(messaging.baseUrl() + queueUrl
            + "/messages/pull", new JsonObject().put("batch_size", 10)));
        assertEquals(401, stolen.status(), () -> junk + " -> " + stolen + "\nrogue:\n" + rogue.output());
      }
    }
    // Real keys keep working: each new key is a cache miss, so each crosses the bus.
    for (int i = 0; i < 6; i++) {
      HttpJson.Reply key = tenantB.post(admin.baseUrl() + "/v1/api_keys", new JsonObject().put("name", "k" + i));
      assertEquals(200, key.status(), key::toString);
      HttpJson fresh = new HttpJson(key.object().getJsonObject("api_key").getString("key"));
      HttpJson.Reply peek = withRogue(rogue, () -> fresh.get(messaging.baseUrl() + queueUrl + "/metrics"));
      assertEquals(200, peek.status(), () -> peek + "\nrogue:\n" + rogue.output());
    }
    HttpJson.Reply pulled = tenantB.post(messaging.baseUrl() + queueUrl + "/messages/pull",
        new JsonObject().put("batch_size", 10));
    assertEquals(200, pulled.status(), pulled::toString);
    JsonArray messages = pulled.object().getJsonObject("result").getJsonArray("messages");
    assertEquals(1, messages.size(), "the message is still there, unread by anyone else: " + pulled);

    String seen = rogue.output();
    assertFalse(seen.contains("RECEIVED"), "the rogue received authentication requests:\n" + seen);
    assertFalse(seen.contains("TOPOLOGY {"), "the rogue read the topology:\n" + seen);
    assertTrue(seen.contains("TOPOLOGY-REFUSED"), seen);
    assertTrue(admin.isAlive() && messaging.isAlive(), "a member died");
  }

  // A request that hangs was most likely handed to the rogue: say what the rogue saw.
  private static HttpJson.Reply withRogue(FerryProcess rogue, Callable<HttpJson.Reply> call) throws Exception {
    try {
      return call.call();
    } catch (IOException unanswered) {
      throw new AssertionError("no answer (" + unanswered + "); rogue:\n" + rogue.output(), unanswered);
    }
  }
}
