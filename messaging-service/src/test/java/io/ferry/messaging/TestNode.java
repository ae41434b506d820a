package io.ferry.messaging;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.messaging.config.MessagingConfig;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.store.RocksMessageStore;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real messaging process for tests: the module on a local Ferry node with its HTTP server, RocksDB in a
 * temp dir, and in-test stand-ins for admin-service (auth; topology commands are sent as admin would).
 * Either {@link #start} one (and close it) in a test that restarts nodes, or share one by a class's tests:
 * {@code @RegisterExtension static final TestNode node = TestNode.perClass();}.
 */
final class TestNode implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  static final String ACCOUNT_A = "acct-a";
  static final String ACCOUNT_B = "acct-b";
  static final String KEY_A = "key-a";
  static final String KEY_B = "key-b";

  FerryNode node;
  Vertx vertx;
  WebClient client;
  MessagingModule module;
  private Path perClassDir;

  private TestNode() {
  }

  /** A node started before the class's first test in a temp dir of its own, and stopped after its last. */
  static TestNode perClass() {
    return new TestNode();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClassDir = Files.createTempDirectory("ferry-messaging-");
    startIn(perClassDir, RocksMessageStore::open, MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
    try (var paths = Files.walk(perClassDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private void started(FerryNode node, MessagingModule module) {
    this.node = node;
    this.module = module;
    this.vertx = node.vertx();
    this.client = WebClient.create(vertx);
    await(Bus.<AuthRequest, Principal>serve(vertx, Addresses.AUTH_AUTHENTICATE, request -> {
      // Services send a credential's hash, never the credential.
      if (AuthRequest.keyHash(KEY_A).equals(request.keyHash())) {
        return Future.succeededFuture(new Principal(ACCOUNT_A, "key-a-id", List.of(Principal.ALL), false));
      }
      if (AuthRequest.keyHash(KEY_B).equals(request.keyHash())) {
        return Future.succeededFuture(new Principal(ACCOUNT_B, "key-b-id", List.of(Principal.ALL), false));
      }
      return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED, "missing or invalid credential"));
    }));
  }

  static TestNode start(Path dataDir) {
    return start(dataDir, RocksMessageStore::open, MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES);
  }

  /** A node whose store is opened by {@code opener} and whose engine bounds queued appends as given. */
  static TestNode start(Path dataDir, MessagingModule.StoreOpener opener, long maxQueuedAppendBytes) {
    TestNode started = new TestNode();
    started.startIn(dataDir, opener, maxQueuedAppendBytes);
    return started;
  }

  /**
   * A node whose messages are stored on PostgreSQL: the schema of {@code postgres} on {@code server}, with its
   * statement timeout.
   */
  static TestNode startOnPostgres(Path dataDir, TestPostgres server, PostgresConfig postgres) {
    TestNode started = new TestNode();
    started.startIn(dataDir, RocksMessageStore::open, MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES, Map.of(
        ConfigReader.envName("storage.kind"), "postgres",
        ConfigReader.envName("storage.postgres.url"), server.url(),
        ConfigReader.envName("storage.postgres.password"), server.password(),
        ConfigReader.envName("storage.postgres.schema"), postgres.schema(),
        ConfigReader.envName("storage.postgres.statement-timeout-ms"), Long.toString(postgres.statementTimeoutMs())));
    return started;
  }

  private void startIn(Path dataDir, MessagingModule.StoreOpener opener, long maxQueuedAppendBytes) {
    startIn(dataDir, opener, maxQueuedAppendBytes, Map.of());
  }

  private void startIn(Path dataDir, MessagingModule.StoreOpener opener, long maxQueuedAppendBytes,
      Map<String, String> storage) {
    Map<String, String> env = new HashMap<>(storage);
    env.putAll(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("http.instances"), "2",
        ConfigReader.envName("storage.data-dir"), dataDir.toString(),
        ConfigReader.envName("messaging.lease-sweep-ms"), "50",
        // Short, so that a request for a shard no instance serves is answered soon.
        ConfigReader.envName("messaging.forward-wait-ms"), "300"));
    ConfigReader reader = ConfigReader.of(env);
    MessagingConfig config = MessagingConfig.from(reader);
    MessagingModule module = new MessagingModule(config, opener, maxQueuedAppendBytes);
    started(await(FerryNode.startLocal("Ferry messaging test", config.node(), List.of(module))), module);
  }

  /** A queue of {@link #ACCOUNT_A} with default settings and an http_pull consumer. */
  QueueInfo createPullQueue() {
    QueueInfo queue = createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    return queue;
  }

  QueueInfo createQueue(String accountId, QueueSettings settings) {
    String id = Ids.newId();
    return upsertQueue(new QueueInfo(id, accountId, "q-" + id.substring(0, 8), 1, 1, settings));
  }

  QueueInfo upsertQueue(QueueInfo queue) {
    await(Bus.<Ack>request(vertx, Addresses.MESSAGING_QUEUE_UPSERT, queue));
    return queue;
  }

  void deleteQueue(String queueId) {
    await(Bus.<Ack>request(vertx, Addresses.MESSAGING_QUEUE_DELETE, new ResourceRef(null, queueId)));
  }

  SubscriptionSpec subscribe(String queueId, SubscriptionSpec.Kind kind) {
    return subscribe(new SubscriptionSpec(Ids.newId(), queueId, kind, 5, 3, 0, 30_000, null));
  }

  SubscriptionSpec subscribe(SubscriptionSpec spec) {
    await(Bus.<Ack>request(vertx, Addresses.MESSAGING_SUBSCRIPTION_UPSERT, spec));
    return spec;
  }

  /** Every FerryEvent published from now on, in order. */
  List<FerryEvent> captureEvents() {
    List<FerryEvent> events = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<FerryEvent>consumer(Addresses.EVENTS, message -> events.add(message.body()))
        .completion());
    return events;
  }

  LeaseBatch lease(String queueId, String subscriptionId, int batchSize, int visibilityTimeoutMs) {
    return await(Bus.request(vertx, Addresses.MESSAGING_LEASE,
        new LeaseRequest(queueId, subscriptionId, batchSize, visibilityTimeoutMs, 0)));
  }

  AckResult settle(String queueId, String subscriptionId, List<String> acks, List<RetryRequest> retries) {
    return await(Bus.request(vertx, Addresses.MESSAGING_ACK, new AckRequest(queueId, subscriptionId, acks, retries)));
  }

  HistoryPage history(String queueId) {
    return await(Bus.request(vertx, Addresses.MESSAGING_HISTORY, new HistoryRequest(queueId, 1, null, 1000)));
  }

  HttpResponse<Buffer> post(String path, String key, Object body) {
    Buffer buffer = body instanceof Buffer raw ? raw
        : body == null ? Buffer.buffer() : Buffer.buffer(io.vertx.core.json.Json.encode(body));
    return await(postAsync(path, key, buffer));
  }

  Future<HttpResponse<Buffer>> postAsync(String path, String key, Buffer body) {
    var request = client.post(node.httpPort(), "127.0.0.1", path).putHeader("Content-Type", "application/json");
    if (key != null) {
      request.putHeader("Authorization", "Bearer " + key);
    }
    return request.sendBuffer(body);
  }

  HttpResponse<Buffer> get(String path) {
    return await(client.get(node.httpPort(), "127.0.0.1", path).send());
  }

  HttpResponse<Buffer> get(String path, String key) {
    return await(client.get(node.httpPort(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + key).send());
  }

  HttpResponse<Buffer> delete(String path, String key) {
    return await(client.delete(node.httpPort(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + key)
        .send());
  }

  static String queuePath(String accountId, String queueId) {
    return "/accounts/" + accountId + "/queues/" + queueId;
  }

  static JsonObject json(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject();
  }

  static <T> T await(Future<T> future) {
    return Futures.await(future, Duration.ofSeconds(30));
  }

  /** The domain error a future failed with; fails the test if it succeeds. */
  static FerryException failure(Future<?> future) {
    return Futures.failure(future, Duration.ofSeconds(30));
  }


  @Override
  public void close() {
    await(node.stop());
  }
}
