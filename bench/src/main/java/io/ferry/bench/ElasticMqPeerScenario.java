package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ElasticMQ peer of Ferry's batch push and pull + ack ({@code --peers}): its server (from Maven Central,
 * copied to {@code bench/target/elasticmq} when the bench is built) in a child JVM, in memory, driven over
 * SQS's JSON protocol by the same HTTP clients as Ferry: {@code SendMessageBatch} of 10 × 100 B per round, or
 * {@code ReceiveMessage} (10) then one {@code DeleteMessageBatch} of what came back. One server per row.
 */
final class ElasticMqPeerScenario implements SelfTimedScenario {

  static final String PUSH_ID = "elasticmq-push";
  static final String PULL_ACK_ID = "elasticmq-pull-ack";
  private static final String MAIN = "org.elasticmq.server.Main";
  private static final int BATCH = 10;
  private static final long MIN_BACKLOG = 50_000;
  private static final double HEADROOM = 2;
  private static final Duration READY = Duration.ofSeconds(60);

  private final boolean push;

  private ElasticMqPeerScenario(boolean push) {
    this.push = push;
  }

  static ElasticMqPeerScenario push() {
    return new ElasticMqPeerScenario(true);
  }

  static ElasticMqPeerScenario pullAck() {
    return new ElasticMqPeerScenario(false);
  }

  @Override
  public String id() {
    return push ? PUSH_ID : PULL_ACK_ID;
  }

  @Override
  public String title() {
    return push ? "peer: ElasticMQ, SendMessageBatch 10 × 100 B" : "peer: ElasticMQ, ReceiveMessage 10 + DeleteMessageBatch";
  }

  @Override
  public String unit() {
    return "msg/s";
  }

  @Override
  public List<Integer> clientCounts() {
    return List.of(16, 64);
  }

  @Override
  public Target target() {
    return Target.reference(0, "— (peer; Ferry ÷ peer in Ferry's row)");
  }

  /** Where the build copied the server's jars: next to the bench jar. */
  static Path serverLibs() {
    Path benchJar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]).toAbsolutePath();
    return benchJar.getParent().resolve("elasticmq");
  }

  @Override
  public ScenarioResult measure(BenchContext context, int clients, ErrorTally errors, List<String> notes)
      throws Exception {
    Path libs = serverLibs();
    if (!Files.isDirectory(libs)) {
      return ScenarioResult.skipped(this, clients, "ElasticMQ could not be started: no server jars in " + libs
          + " (build the bench with Maven: bench/run does)");
    }
    int port = Ports.free();
    Path dir = Files.createTempDirectory("ferry-bench-elasticmq-");
    ChildJvm server = ChildJvm.start("elasticmq", List.of("-Dnode-address.host=127.0.0.1",
        "-Dnode-address.port=" + port, "-Drest-sqs.bind-hostname=127.0.0.1", "-Drest-sqs.bind-port=" + port,
        "-Drest-stats.enabled=false", "-cp", libs.toAbsolutePath() + "/*", MAIN), dir, Map.of());
    List<ClientConnection> connections = new ArrayList<>();
    try {
      try {
        server.awaitOk("http://127.0.0.1:" + port + "/?Action=ListQueues", READY);
      } catch (Exception e) {
        return ScenarioResult.skipped(this, clients, "ElasticMQ could not be started: "
            + ErrorTally.describe(e).replace('\n', ' '));
      }
      Endpoint endpoint = new Endpoint("127.0.0.1", port, null);
      List<Future<ClientConnection>> opening = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        opening.add(ClientConnection.open(context.agent(), endpoint));
      }
      Await.result(Future.all(opening), Duration.ofSeconds(30));
      opening.forEach(f -> connections.add(f.result()));
      ClientConnection first = connections.get(0);
      String queueUrl = Await.result(onContext(first, () -> call(first, "CreateQueue",
          new JsonObject().put("QueueName", "bench-" + clients))), Duration.ofSeconds(30)).getString("QueueUrl");
      Sqs sqs = new Sqs(queueUrl);
      ScenarioRunner.Measured measured = ScenarioRunner.measure(context, this, 0, errors, notes, (length, best) -> {
        if (!push) {
          sqs.topUp(connections, length, best);
        }
        return LoadRunner.run(connections, client -> push ? sqs.send(client) : sqs.receiveAndDelete(client),
            length);
      });
      notes.add(serverJar(libs) + " from Maven Central, in memory, its own JVM with default options");
      if (!push) {
        notes.add("fills before each phase (SendMessageBatch of 10): " + String.join(", ", sqs.fills));
      }
      notes.add(String.format("messages left at the end: %,d (the server is stopped)", sqs.pending.get()));
      return measured.row(this, clients, errors, notes);
    } finally {
      connections.forEach(ClientConnection::close);
      server.kill();
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  static Future<JsonObject> call(ClientConnection client, String action, JsonObject request) {
    return client.post("/", request.toBuffer(), Sqs.headers(action)).map(JsonObject::new);
  }

  /** The server jar's file name, e.g. {@code elasticmq-server_2.13-1.7.1.jar}, for the notes. */
  private static String serverJar(Path libs) throws Exception {
    try (var files = Files.list(libs)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("elasticmq-server"))
          .findFirst().orElse("elasticmq-server (jar not found)");
    }
  }

  private static <T> Future<T> onContext(ClientConnection client, java.util.function.Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    client.context().runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }

  /** The SQS requests of one row, and the messages sent and not yet deleted. */
  private static final class Sqs {

    final String queueUrl;
    final Buffer sendBatch;
    final AtomicLong pending = new AtomicLong();
    final List<String> fills = new ArrayList<>();
    final Buffer receive;

    Sqs(String queueUrl) {
      this.queueUrl = queueUrl;
      JsonArray entries = new JsonArray();
      for (int i = 0; i < BATCH; i++) {
        entries.add(new JsonObject().put("Id", "m" + i).put("MessageBody", Payloads.message()));
      }
      this.sendBatch = new JsonObject().put("QueueUrl", queueUrl).put("Entries", entries).toBuffer();
      this.receive = new JsonObject().put("QueueUrl", queueUrl).put("MaxNumberOfMessages", BATCH)
          .put("VisibilityTimeout", 30).toBuffer();
    }

    Future<Integer> send(ClientConnection client) {
      return client.post("/", sendBatch, headers("SendMessageBatch")).map(answer -> {
        int sent = new JsonObject(answer).getJsonArray("Successful", new JsonArray()).size();
        pending.addAndGet(sent);
        return sent;
      });
    }

    Future<Integer> receiveAndDelete(ClientConnection client) {
      return client.post("/", receive, headers("ReceiveMessage")).compose(answer -> {
        JsonArray messages = new JsonObject(answer).getJsonArray("Messages", new JsonArray());
        if (messages.isEmpty()) {
          return Future.succeededFuture(0);
        }
        JsonArray entries = new JsonArray();
        for (int i = 0; i < messages.size(); i++) {
          entries.add(new JsonObject().put("Id", "d" + i)
              .put("ReceiptHandle", messages.getJsonObject(i).getString("ReceiptHandle")));
        }
        Buffer delete = new JsonObject().put("QueueUrl", queueUrl).put("Entries", entries).toBuffer();
        return client.post("/", delete, headers("DeleteMessageBatch")).map(reply -> {
          int deleted = new JsonObject(reply).getJsonArray("Successful", new JsonArray()).size();
          pending.addAndGet(-deleted);
          return deleted;
        });
      });
    }

    void topUp(List<ClientConnection> clients, Duration phase, double bestRate) throws Exception {
      long wanted = Math.max(MIN_BACKLOG, (long) Math.ceil(bestRate * phase.toNanos() / 1e9 * HEADROOM));
      long missing = wanted - pending.get();
      if (missing <= 0) {
        return;
      }
      long started = System.nanoTime();
      AtomicLong remaining = new AtomicLong(missing);
      List<Future<Void>> fillers = new ArrayList<>();
      for (ClientConnection client : clients) {
        fillers.add(onContext(client, () -> fill(client, remaining)));
      }
      Await.result(Future.all(fillers), Duration.ofMinutes(5));
      double seconds = (System.nanoTime() - started) / 1e9;
      fills.add(String.format("%,d in %.1f s", missing, seconds));
      System.err.printf("  filled %,d messages in %.1f s%n", missing, seconds);
    }

    private Future<Void> fill(ClientConnection client, AtomicLong remaining) {
      if (remaining.getAndAdd(-BATCH) <= 0) {
        return Future.succeededFuture();
      }
      return send(client).compose(sent -> fill(client, remaining));
    }

    static MultiMap headers(String action) {
      return MultiMap.caseInsensitiveMultiMap()
          .add(HttpHeaders.CONTENT_TYPE, "application/x-amz-json-1.0")
          .add("X-Amz-Target", "AmazonSQS." + action);
    }
  }
}
