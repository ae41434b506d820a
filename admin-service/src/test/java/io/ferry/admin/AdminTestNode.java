package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.admin.config.AdminConfig;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.runtime.FerryNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * admin-service on a real local node and HTTP server, with a stand-in for messaging-service. As a JUnit extension
 * ({@code @RegisterExtension static final AdminTestNode admin = AdminTestNode.perClass()}) it is one node per test
 * class in a directory of its own, started before the class's tests (or at the first use of its default account)
 * and stopped after them; it also makes the accounts, queues and consumers tests start from.
 */
final class AdminTestNode implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  FerryNode node;
  AdminModule module;
  MessagingStandIn messaging;
  final List<FerryEvent> events = new CopyOnWriteArrayList<>();
  private WebClient client;
  // Set only on a per-class node, which owns its directory.
  private final Map<String, String> settings;
  private Path ownDir;

  private AdminTestNode(Map<String, String> settings) {
    this.settings = settings;
  }

  /** A node started before the tests of the class that registers it, with the default settings. */
  static AdminTestNode perClass() {
    return perClass(Map.of());
  }

  /** A node started before the tests of the class that registers it; {@code settings} by their config keys. */
  static AdminTestNode perClass(Map<String, String> settings) {
    return new AdminTestNode(settings);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    started();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  // Field initialisers of a per-class test instance run before beforeAll: the first use starts the node.
  private synchronized AdminTestNode started() {
    if (node == null) {
      try {
        ownDir = Files.createTempDirectory("ferry-admin-test");
        startIn(ownDir, settings);
      } catch (Exception e) {
        throw new IllegalStateException("admin test node did not start", e);
      }
    }
    return this;
  }

  static AdminTestNode start(Path dataDir, Map<String, String> settings) throws Exception {
    AdminTestNode admin = new AdminTestNode(settings);
    admin.startIn(dataDir, settings);
    return admin;
  }

  private void startIn(Path dataDir, Map<String, String> settings) throws Exception {
    Map<String, String> values = new HashMap<>(Map.of(
        "FERRY_HTTP_HOST", "127.0.0.1",
        "FERRY_HTTP_PORT", "0",
        "FERRY_HTTP_INSTANCES", "2",
        "FERRY_LOG_LEVEL", "WARN",
        "FERRY_STORAGE_DATA_DIR", dataDir.toString()));
    settings.forEach((key, value) -> values.put(ConfigReader.envName(key), value));
    AdminConfig config = AdminConfig.from(ConfigReader.of(values));
    module = AdminModule.create(config);
    node = FerryNode.startLocal("Ferry admin test", config.node(), List.of(module)).await(20, TimeUnit.SECONDS);
    messaging = new MessagingStandIn(node.vertx()).register();
    node.vertx().eventBus().<FerryEvent>consumer(Addresses.EVENTS, message -> events.add(message.body()))
        .completion().await(5, TimeUnit.SECONDS);
    client = WebClient.create(node.vertx());
  }

  /** The root key of the default account. */
  String rootKey() {
    return started().bannerKey();
  }

  /** The default account's id. */
  String accountId() {
    return started().defaultAccountId();
  }

  /** The Cloudflare path of the default account, {@code /client/v4/accounts/<id>}. */
  String cloudflareAccount() {
    return "/client/v4/accounts/" + accountId();
  }

  /** A new account (through the discue routes) and its first key. */
  TestAccounts.Account account(String name) throws Exception {
    return TestAccounts.create(this, rootKey(), name);
  }

  /** A queue of the default account created through Cloudflare's route: its {@code result}. */
  JsonObject cloudflareQueue(String name) throws Exception {
    return cloudflareQueue(name, null);
  }

  /** The same with {@code settings} ({@code null}: the defaults). */
  JsonObject cloudflareQueue(String name, JsonObject settings) throws Exception {
    JsonObject body = new JsonObject().put("queue_name", name);
    if (settings != null) {
      body.put("settings", settings);
    }
    HttpResponse<Buffer> created = post(cloudflareAccount() + "/queues", rootKey(), body);
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("result");
  }

  /** A queue created with {@code credential} through discue's route: its id. */
  String discueQueue(String credential, String name) throws Exception {
    HttpResponse<Buffer> created = post("/v1/queues", credential, new JsonObject().put("name", name));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("queue").getString("id");
  }

  /** The http_pull consumer of a queue of the default account, with default settings: its {@code result}. */
  JsonObject pullConsumer(String queueId) throws Exception {
    HttpResponse<Buffer> created = post(cloudflareAccount() + "/queues/" + queueId + "/consumers", rootKey(),
        new JsonObject().put("type", "http_pull"));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("result");
  }

  /** The key the banner showed, or {@code null} when it showed none. */
  String bannerKey() {
    return module.startupBanner().stream().filter(line -> line.contains("fry_"))
        .map(line -> line.substring(line.indexOf("fry_"))).findFirst().orElse(null);
  }

  String defaultAccountId() {
    String line = module.startupBanner().get(0);
    return line.substring(line.lastIndexOf(' ') + 1);
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String key, Object body) throws Exception {
    return send(method, path, key, body).await(10, TimeUnit.SECONDS);
  }

  /** The request without waiting for its answer, for tests that send many at once. */
  Future<HttpResponse<Buffer>> send(HttpMethod method, String path, String key, Object body) {
    HttpRequest<Buffer> request = client.request(method, node.httpPort(), "127.0.0.1", path);
    if (key != null) {
      request.bearerTokenAuthentication(key);
    }
    if (body == null) {
      return request.send();
    }
    Buffer raw = body instanceof JsonObject json ? json.toBuffer() : Buffer.buffer(body.toString());
    return request.putHeader("Content-Type", "application/json").sendBuffer(raw);
  }

  HttpResponse<Buffer> get(String path, String key) throws Exception {
    return call(HttpMethod.GET, path, key, null);
  }

  /** GET /v1/queues from the local address {@code from} with one extra header (a proxy's, say). */
  HttpResponse<Buffer> send(String from, String key, String header, String value) throws Exception {
    WebClient local = WebClient.create(node.vertx(), new WebClientOptions().setLocalAddress(from));
    try {
      return local.get(node.httpPort(), "127.0.0.1", "/v1/queues").bearerTokenAuthentication(key)
          .putHeader(header, value).send().await(10, TimeUnit.SECONDS);
    } finally {
      local.close();
    }
  }

  HttpResponse<Buffer> post(String path, String key, Object body) throws Exception {
    return call(HttpMethod.POST, path, key, body);
  }

  List<FerryEvent> events(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }

  @Override
  public void close() throws Exception {
    if (node == null) {
      return;
    }
    client.close();
    node.stop().await(20, TimeUnit.SECONDS);
    node = null;
    if (ownDir != null) {
      try (Stream<Path> paths = Files.walk(ownDir)) {
        paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }
}
