package io.ferry.gateway;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The gateway module served by a real local node, with in-test stand-ins for admin (auth, queue lookup)
 * and messaging (history), and a separate client Vert.x for WebSocket / HTTP clients. Either share one by a
 * class's tests, {@code @RegisterExtension static final TestNode node = TestNode.perClass();}, or
 * {@link #start} one per test and close it.
 */
final class TestNode implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  /** A credential with the Sonya scope, as the service token has. */
  static final String KEY = "test-key";
  /** A credential that allows everything, as a full API key does. */
  static final String FULL_KEY = "full-key";
  static final String ACCOUNT = "acct-1";

  private final Map<String, String> gatewaySettings;
  GatewayModule module;
  FerryNode node;
  final Vertx client = Vertx.vertx();
  final WebSocketClient webSockets = client.createWebSocketClient();
  final WebClient http = WebClient.create(client);
  private final Map<String, QueueInfo> queuesByName = new ConcurrentHashMap<>();
  private final Map<String, List<StoredMessage>> history = new ConcurrentHashMap<>();
  /** Queue ids whose history reads wait for {@link #releaseHistory}; the promise is the waiting read. */
  final Map<String, Promise<Void>> heldHistory = new ConcurrentHashMap<>();
  final List<HistoryRequest> historyRequests = new CopyOnWriteArrayList<>();
  /** The queues a quiet feed asked history for the head of (a read from the largest sequence), one per ask. */
  final List<String> headChecks = new CopyOnWriteArrayList<>();
  /** Queue names whose lookups wait for the promise; it leaves the map when the lookup arrives. */
  final Map<String, Promise<Void>> heldLookups = new ConcurrentHashMap<>();
  /** What the auth stand-in answers for each credential; anything else is UNAUTHENTICATED. */
  private final Map<String, Principal> credentials = new ConcurrentHashMap<>();
  private final AtomicInteger tokens = new AtomicInteger();

  private TestNode(Map<String, String> gatewaySettings) {
    this.gatewaySettings = gatewaySettings;
  }

  /** A node started before the class's first test and stopped after its last, with default settings. */
  static TestNode perClass() {
    return perClass(Map.of());
  }

  /** The same with gateway (or node) settings, e.g. {@code gateway.ping-interval-ms}, {@code auth.jwt.hs256-secret}. */
  static TestNode perClass(Map<String, String> gatewaySettings) {
    return new TestNode(gatewaySettings);
  }

  /** A node started now, with default settings; the caller closes it. */
  static TestNode start() throws Exception {
    TestNode started = new TestNode(Map.of());
    started.startNode();
    return started;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    startNode();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  private void startNode() throws Exception {
    Map<String, String> nodeSettings = new java.util.HashMap<>(Map.of(
        "http.port", "0", "http.host", "127.0.0.1", "http.instances", "2", "log.level", "warn"));
    nodeSettings.putAll(gatewaySettings);
    NodeConfig nodeConfig = NodeConfig.from(settings(nodeSettings), 0);
    module = GatewayModule.create(GatewayConfig.from(settings(gatewaySettings), nodeConfig));
    node = await(FerryNode.startLocal("t", nodeConfig, List.of(module)));
    Vertx vertx = node.vertx();
    credentials.put(AuthRequest.keyHash(KEY),
        new Principal(ACCOUNT, "sonya-service-token", List.of(Principal.SONYA), false));
    credentials.put(AuthRequest.keyHash(FULL_KEY), new Principal(ACCOUNT, "key-1", List.of(Principal.ALL), true));
    await(Bus.<io.ferry.contracts.auth.AuthRequest, Principal>serve(vertx, Addresses.AUTH_AUTHENTICATE,
        request -> {
          // As admin: a credential by its hash, a JWT by the claims the gateway verified or its refusal.
          Principal principal = request.keyHash() == null ? null : credentials.get(request.keyHash());
          if (principal == null && request.token() != null && ACCOUNT.equals(request.token().accountId())) {
            principal = request.token().principal();
          }
          return principal != null ? Future.succeededFuture(principal)
              : Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
                  request.refusal() != null ? request.refusal() : "invalid credential"));
        }));
    await(Bus.<QueueLookup, QueueInfo>serve(vertx, Addresses.QUEUE_LOOKUP, lookup -> {
      QueueInfo queue = queuesByName.get(lookup.accountId() + "/" + lookup.queueName());
      Future<QueueInfo> answer = queue != null ? Future.succeededFuture(queue)
          : Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND,
              "queue '" + lookup.queueName() + "' does not exist"));
      Promise<Void> hold = heldLookups.remove(lookup.queueName());
      return hold == null ? answer : hold.future().transform(v -> answer);
    }));
    await(Bus.<HistoryRequest, HistoryPage>serve(vertx, Addresses.MESSAGING_HISTORY, this::readHistory));
  }

  // Settings by key, as the process would read them from its environment.
  private static ConfigReader settings(Map<String, String> byKey) {
    Map<String, String> env = new java.util.HashMap<>();
    byKey.forEach((key, value) -> env.put(ConfigReader.envName(key), value));
    return ConfigReader.of(env);
  }

  /**
   * A credential the auth stand-in answers like admin answers a generate_jwt token: only
   * {@code sonyaListen(queue, id)}, expiring at {@code expiresAtMs}.
   */
  String token(String queueName, String id, long expiresAtMs) {
    String token = "token-" + tokens.incrementAndGet();
    credentials.put(AuthRequest.keyHash(token),
        new Principal(ACCOUNT, "sonya:" + id, List.of(Principal.sonyaListen(queueName, id)),
        false, expiresAtMs));
    return token;
  }

  /** Publishes an event on {@link Addresses#EVENTS} as admin does. */
  void publishEvent(String type, String queueId, io.vertx.core.json.JsonObject payload) {
    node.vertx().eventBus().publish(Addresses.EVENTS, new io.ferry.contracts.model.FerryEvent(
        io.ferry.contracts.model.Ids.newId(), type, ACCOUNT, queueId, System.currentTimeMillis(),
        payload.copy().put("queue_id", queueId)));
  }

  /** A long-poll GET; {@code credential} goes in X-API-KEY ({@code null}: none). */
  Reply poll(String uri, String credential) throws Exception {
    var request = http.get(node.httpPort(), "127.0.0.1", uri).timeout(20_000);
    if (credential != null) {
      request.putHeader("X-API-KEY", credential);
    }
    return await(request.send().map(response -> new Reply(response.statusCode(),
        response.body() == null ? null : io.vertx.core.json.Json.decodeValue(response.body()),
        response.headers())), 25);
  }

  /** Makes a queue of the test account known to the lookup stand-in; returns its id. */
  String createQueue(String name) {
    return createQueue(name, io.ferry.contracts.model.Ids.newId());
  }

  String createQueue(String name, String id) {
    queuesByName.put(ACCOUNT + "/" + name, new QueueInfo(id, ACCOUNT, name, 0, 0, QueueSettings.DEFAULTS));
    return id;
  }

  void retain(String queueId, StoredMessage... messages) {
    history.computeIfAbsent(queueId, id -> new CopyOnWriteArrayList<>()).addAll(List.of(messages));
  }

  void publish(String queueId, StoredMessage... messages) {
    node.vertx().eventBus().publish(Addresses.published(queueId), new PublishedBatch(queueId, List.of(messages)));
  }

  /** Whether something consumes the queue's published address, told apart by how a request fails. */
  boolean hasFeedConsumer(String queueId) throws Exception {
    try {
      await(node.vertx().eventBus().request(Addresses.published(queueId), new PublishedBatch(queueId, List.of()),
          new DeliveryOptions().setSendTimeout(200)));
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      return !(e.getCause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS);
    }
  }

  TestSocket connect(String uri) throws Exception {
    return connect(uri, KEY);
  }

  TestSocket connect(String uri, String apiKey) throws Exception {
    return await(webSockets.connect(options(uri, apiKey)).map(TestSocket::new));
  }

  /** Connects expecting the upgrade to be refused; returns the status and JSON body. */
  Rejection reject(String uri, String apiKey) throws Exception {
    try {
      await(webSockets.connect(options(uri, apiKey)));
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException rejected) {
        return new Rejection(rejected.getStatus(), new JsonObject(rejected.getBody()));
      }
      throw e;
    }
    throw new AssertionError("upgrade to " + uri + " was accepted");
  }

  /** A plain GET without upgrade headers. */
  Rejection plainGet(String uri) throws Exception {
    return await(http.get(node.httpPort(), "127.0.0.1", uri).putHeader("X-API-KEY", KEY).send()
        .map(response -> new Rejection(response.statusCode(), response.bodyAsJsonObject())));
  }

  /** A plain GET of an operational route; returns the body. */
  io.vertx.core.buffer.Buffer get(String uri) throws Exception {
    return await(http.get(node.httpPort(), "127.0.0.1", uri).send().map(response -> response.body()));
  }

  static StoredMessage message(String queueId, long sequence, String key, ContentType type, String body) {
    return message(queueId, sequence, key, type, body.getBytes(StandardCharsets.UTF_8));
  }

  static StoredMessage message(String queueId, long sequence, String key, ContentType type, byte[] body) {
    return new StoredMessage(io.ferry.contracts.model.Ids.newId(), queueId, sequence, key, type, body,
        System.currentTimeMillis(), System.currentTimeMillis());
  }

  static <T> T await(Future<T> future) throws Exception {
    return await(future, 10);
  }

  static <T> T await(Future<T> future, int seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private boolean stopped;

  /** Stops the node the way the process does on SIGTERM. */
  void stopNode() throws Exception {
    stopped = true;
    await(node.stop());
  }

  @Override
  public void close() throws Exception {
    await(client.close());
    if (!stopped && node != null) {
      stopNode();
    }
  }

  private WebSocketConnectOptions options(String uri, String apiKey) {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(node.httpPort()).setURI(uri);
    if (apiKey != null) {
      options.addHeader("X-API-KEY", apiKey);
    }
    return options;
  }

  private Future<HistoryPage> readHistory(HistoryRequest request) {
    List<StoredMessage> retained = history.getOrDefault(request.queueId(), List.of());
    long head = retained.stream().mapToLong(StoredMessage::sequence).max().orElse(0);
    if (request.fromSequence() == Long.MAX_VALUE && !request.queueId().startsWith("broken")) {
      // Neither held nor counted with the reads the tests look at: the feed's own, on its clock.
      headChecks.add(request.queueId());
      return Future.succeededFuture(new HistoryPage(List.of(), head, 0));
    }
    historyRequests.add(request);
    List<StoredMessage> page = new ArrayList<>();
    for (StoredMessage message : retained) {
      if (page.size() < request.limit() && message.sequence() >= request.fromSequence()
          && (request.key() == null || request.key().equals(message.key()))) {
        page.add(message);
      }
    }
    if (request.queueId().startsWith("broken")) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "messaging is down"));
    }
    Promise<Void> hold = heldHistory.remove(request.queueId());
    long oldest = retained.stream().mapToLong(StoredMessage::sequence).min().orElse(0);
    HistoryPage answer = new HistoryPage(page, head, oldest);
    return hold == null ? Future.succeededFuture(answer) : hold.future().map(answer);
  }

  record Rejection(int status, JsonObject body) {
  }

  /** A long-poll answer: the status and the parsed body (a JsonArray on success). */
  record Reply(int status, Object body, io.vertx.core.MultiMap headers) {

    io.vertx.core.json.JsonArray array() {
      return (io.vertx.core.json.JsonArray) body;
    }

    JsonObject error() {
      return (JsonObject) body;
    }
  }
}
