package io.ferry.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The standalone jar as a separate JVM on a fresh data directory and a free port, plus the few management
 * calls the scenarios need (Cloudflare dialect), made from the bench's main thread. With {@code --cluster} the
 * same calls go to a Ferry the bench did not start ({@link #attach}): no JVM or data directory is its own.
 */
final class FerryUnderTest {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration CALL = Duration.ofSeconds(60);

  private final ChildJvm jvm;
  private final Path workDir;
  private final int port;
  private final String token;
  private final ClientConnection admin;
  private final String accountPath;

  private FerryUnderTest(ChildJvm jvm, Path workDir, int port, String token, ClientConnection admin,
      String accountPath) {
    this.jvm = jvm;
    this.workDir = workDir;
    this.port = port;
    this.token = token;
    this.admin = admin;
    this.accountPath = accountPath;
  }

  /** {@code storage}: extra environment choosing Ferry's storage (none: embedded RocksDB in the work directory). */
  static FerryUnderTest start(Path jar, List<String> jvmOptions, HttpClientAgent agent, Map<String, String> storage)
      throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("standalone jar not found: " + jar.toAbsolutePath()
          + " (bench/run builds it)");
    }
    Path workDir = Files.createTempDirectory("ferry-bench-");
    int port = Ports.free();
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    String token = "fry_bench-" + HexFormat.of().formatHex(secret);
    List<String> args = new ArrayList<>(jvmOptions);
    args.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    Map<String, String> env = new HashMap<>(storage);
    env.putAll(Map.of(
        "FERRY_HTTP_PORT", Integer.toString(port),
        "FERRY_STORAGE_DATA_DIR", workDir.resolve("data").toString(),
        "FERRY_AUTH_BOOTSTRAP_KEY", token,
        // The webhook scenario's receiver listens on loopback, which the SSRF rule refuses unless allowed.
        "FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8",
        // One load generator holds every simulated client's socket from one address, as a proxy would (up to
        // 10,000 WebSocket subscribers plus the bench's own connections); the README says to raise the cap there.
        // Both caps (10,000 open in all by default) leave room for the bench's own connections beside the
        // ws-connections scenario's 10,000, which otherwise had its last few upgrades refused with 503.
        "FERRY_HTTP_MAX_CONNECTIONS_PER_CLIENT", "11000",
        "FERRY_HTTP_MAX_CONNECTIONS", "11000"));
    ChildJvm jvm = ChildJvm.start("ferry", args, workDir, env);
    try {
      jvm.awaitOk("http://127.0.0.1:" + port + "/health/ready", START);
      ClientConnection admin = Await.result(ClientConnection.open(agent, new Endpoint("127.0.0.1", port, token)),
          CALL);
      return new FerryUnderTest(jvm, workDir, port, token, admin, accountPath(admin));
    } catch (Exception e) {
      jvm.kill();
      deleteRecursively(workDir);
      throw e;
    }
  }

  /** A running Ferry at {@code endpoint} (a cluster's proxy), whose processes the bench does not own. */
  static FerryUnderTest attach(HttpClientAgent agent, Endpoint endpoint) throws Exception {
    ClientConnection admin = Await.result(ClientConnection.open(agent, endpoint), CALL);
    try {
      return new FerryUnderTest(null, null, endpoint.port(), endpoint.token(), admin, accountPath(admin));
    } catch (Exception e) {
      admin.close();
      throw e;
    }
  }

  private static String accountPath(ClientConnection admin) throws Exception {
    JsonObject accounts = new JsonObject(Await.result(admin.get("/client/v4/accounts"), CALL));
    return "/client/v4/accounts/" + accounts.getJsonArray("result").getJsonObject(0).getString("id");
  }

  /** False for an {@link #attach attached} Ferry: no process of its own to measure, stop or dump. */
  boolean ownsProcess() {
    return jvm != null;
  }

  ProcessHandle process() {
    return jvm.process();
  }

  Endpoint endpoint() {
    return new Endpoint("127.0.0.1", port, token);
  }

  /** Creates a queue and returns its path ({@code .../queues/<id>}). */
  String createQueue(String name) throws Exception {
    JsonObject created = call(HttpMethod.POST, accountPath + "/queues", new JsonObject().put("queue_name", name));
    return accountPath + "/queues/" + created.getJsonObject("result").getString("queue_id");
  }

  void addPullConsumer(String queuePath, int batchSize) throws Exception {
    call(HttpMethod.POST, queuePath + "/consumers", new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("batch_size", batchSize)));
  }

  void deleteQueue(String queuePath) throws Exception {
    call(HttpMethod.DELETE, queuePath, null);
  }

  /**
   * Heap in use right after a full GC ({@code jcmd <pid> GC.run}), as {@code /metrics} reports it: the sum
   * of {@code jvm_memory_used_bytes{area="heap"}} over the heap pools.
   */
  long heapUsedAfterGc() throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(jvm.pid()), "GC.run").redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes());
    if (jcmd.waitFor() != 0) {
      throw new IllegalStateException("jcmd GC.run failed: " + output);
    }
    ClientConnection.Reply metrics = Await.result(admin.exchange(HttpMethod.GET, "/metrics", null), CALL);
    return PrometheusText.sum(metrics.expectOk("GET /metrics").toString(), "jvm_memory_used_bytes",
        "area=\"heap\"");
  }

  /** SIGTERM; answers the exit code. The data directory is removed afterwards. */
  int stop() throws Exception {
    try {
      admin.close();
      return jvm == null ? 0 : jvm.stop(Duration.ofSeconds(60));
    } finally {
      deleteRecursively(workDir);
    }
  }

  void kill() {
    if (jvm != null) {
      jvm.kill();
    }
  }

  String outputTail() {
    return jvm == null ? "(not started by the bench: see the cluster's logs)" : jvm.outputTail();
  }

  /** See {@link ChildJvm#keepDiagnostics}; nothing for a Ferry the bench did not start. */
  String keepDiagnostics() {
    return jvm == null ? "" : jvm.keepDiagnostics();
  }

  private JsonObject call(HttpMethod method, String path, JsonObject body) throws Exception {
    Buffer payload = body == null ? null : body.toBuffer();
    ClientConnection.Reply reply = Await.result(admin.exchange(method, path, payload), CALL);
    Buffer answer = reply.expectOk(method + " " + path);
    return answer.length() == 0 ? new JsonObject() : new JsonObject(answer);
  }

  private static void deleteRecursively(Path dir) throws Exception {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
