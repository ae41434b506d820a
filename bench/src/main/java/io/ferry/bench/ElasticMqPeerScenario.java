package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The ElasticMQ peer of Ferry's batch push and pull + ack ({@code --peers}): its server (from Maven Central,
 * copied to {@code bench/target/elasticmq} when the bench is built) in a child JVM, in memory, driven over
 * SQS's JSON protocol by the same HTTP clients as Ferry: {@code SendMessageBatch} of 10 × 100 B per round, or
 * {@code ReceiveMessage} (10) then one {@code DeleteMessageBatch} of what came back. One server per row.
 */
final class ElasticMqPeerScenario extends QueueScenario<ClientConnection> {

  static final String PUSH_ID = "elasticmq-push";
  static final String PULL_ACK_ID = "elasticmq-pull-ack";
  private static final String MAIN = "org.elasticmq.server.Main";
  private static final int BATCH = 10;
  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration CALL = Duration.ofSeconds(30);

  private ElasticMqPeerScenario(Shape shape, String id, String title) {
    super(shape, id, title);
  }

  static ElasticMqPeerScenario push() {
    return new ElasticMqPeerScenario(Shape.PUSH, PUSH_ID, "peer: ElasticMQ, SendMessageBatch 10 × 100 B");
  }

  static ElasticMqPeerScenario pullAck() {
    return new ElasticMqPeerScenario(Shape.PULL_ACK, PULL_ACK_ID,
        "peer: ElasticMQ, ReceiveMessage 10 + DeleteMessageBatch");
  }

  /** Where the build copied the server's jars: next to the bench jar. */
  static Path serverLibs() {
    Path benchJar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]).toAbsolutePath();
    return benchJar.getParent().resolve("elasticmq");
  }

  @Override
  Wire<ClientConnection> open(BenchContext context, int clients) throws Exception {
    Path libs = serverLibs();
    if (!Files.isDirectory(libs)) {
      throw new Unavailable("ElasticMQ could not be started: no server jars in " + libs
          + " (build the bench with Maven: bench/run does)");
    }
    int port = Ports.free();
    Sqs sqs = new Sqs(libs, Files.createTempDirectory("ferry-bench-elasticmq-"));
    sqs.server = ChildJvm.start("elasticmq", List.of("-Dnode-address.host=127.0.0.1",
        "-Dnode-address.port=" + port, "-Drest-sqs.bind-hostname=127.0.0.1", "-Drest-sqs.bind-port=" + port,
        "-Drest-stats.enabled=false", "-cp", libs.toAbsolutePath() + "/*", MAIN), sqs.dir, Map.of());
    try {
      try {
        sqs.server.awaitOk("http://127.0.0.1:" + port + "/?Action=ListQueues", READY);
      } catch (Exception e) {
        throw new Unavailable("ElasticMQ could not be started: " + ErrorTally.describe(e).replace('\n', ' '));
      }
      sqs.clients = ClientConnection.openAll(context.agent(), new Endpoint("127.0.0.1", port, null), clients, CALL);
      ClientConnection first = sqs.clients.get(0);
      String queueUrl = Await.result(onContext(first, () -> call(first, "CreateQueue",
          new JsonObject().put("QueueName", "bench-" + clients))), CALL).getString("QueueUrl");
      sqs.useQueue(queueUrl);
      return sqs;
    } catch (Exception e) {
      sqs.close();
      throw e;
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

  /** The row's server, its queue and the SQS requests on it. */
  private static final class Sqs extends Wire<ClientConnection> {

    final Path libs;
    final Path dir;
    ChildJvm server;
    List<ClientConnection> clients = List.of();
    String queueUrl;
    Buffer sendBatch;
    Buffer receive;

    Sqs(Path libs, Path dir) {
      this.libs = libs;
      this.dir = dir;
    }

    void useQueue(String queueUrl) {
      this.queueUrl = queueUrl;
      JsonArray entries = new JsonArray();
      for (int i = 0; i < BATCH; i++) {
        entries.add(new JsonObject().put("Id", "m" + i).put("MessageBody", Payloads.message()));
      }
      this.sendBatch = new JsonObject().put("QueueUrl", queueUrl).put("Entries", entries).toBuffer();
      this.receive = new JsonObject().put("QueueUrl", queueUrl).put("MaxNumberOfMessages", BATCH)
          .put("VisibilityTimeout", 30).toBuffer();
    }

    @Override
    List<ClientConnection> clients() {
      return clients;
    }

    @Override
    Future<Integer> push(ClientConnection client) {
      return client.post("/", sendBatch, headers("SendMessageBatch"))
          .map(answer -> new JsonObject(answer).getJsonArray("Successful", new JsonArray()).size());
    }

    @Override
    Future<Integer> pullAndAck(ClientConnection client) {
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
        return client.post("/", delete, headers("DeleteMessageBatch"))
            .map(reply -> new JsonObject(reply).getJsonArray("Successful", new JsonArray()).size());
      });
    }

    @Override
    int fillBatch() {
      return BATCH;
    }

    // A whole batch even for the last few: SendMessageBatch bodies are built once per row.
    @Override
    Future<Integer> fill(ClientConnection client, int count) {
      return push(client);
    }

    @Override
    String fillUnit() {
      return "SendMessageBatch of " + BATCH;
    }

    @Override
    List<String> about() throws Exception {
      return List.of(serverJar(libs) + " from Maven Central, in memory, its own JVM with default options");
    }

    @Override
    String leftAtEnd(long backlog) {
      return String.format("messages left at the end: %,d (the server is stopped)", backlog);
    }

    @Override
    public void close() throws Exception {
      clients.forEach(ClientConnection::close);
      server.kill();
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(dir);
    }

    static MultiMap headers(String action) {
      return MultiMap.caseInsensitiveMultiMap()
          .add(HttpHeaders.CONTENT_TYPE, "application/x-amz-json-1.0")
          .add("X-Amz-Target", "AmazonSQS." + action);
    }
  }
}
