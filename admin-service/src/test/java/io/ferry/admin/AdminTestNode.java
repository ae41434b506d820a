package io.ferry.admin;

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
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** admin-service on a real local node and HTTP server, with a stand-in for messaging-service. */
final class AdminTestNode implements AutoCloseable {

  final FerryNode node;
  final AdminModule module;
  final MessagingStandIn messaging;
  final List<FerryEvent> events = new CopyOnWriteArrayList<>();
  private final WebClient client;

  private AdminTestNode(FerryNode node, AdminModule module) throws Exception {
    this.node = node;
    this.module = module;
    this.messaging = new MessagingStandIn(node.vertx()).register();
    node.vertx().eventBus().<FerryEvent>consumer(Addresses.EVENTS, message -> events.add(message.body()))
        .completion().await(5, TimeUnit.SECONDS);
    this.client = WebClient.create(node.vertx());
  }

  static AdminTestNode start(Path dataDir, Map<String, String> settings) throws Exception {
    Map<String, String> values = new HashMap<>(Map.of(
        "FERRY_HTTP_HOST", "127.0.0.1",
        "FERRY_HTTP_PORT", "0",
        "FERRY_HTTP_INSTANCES", "2",
        "FERRY_LOG_LEVEL", "WARN",
        "FERRY_STORAGE_DATA_DIR", dataDir.toString()));
    settings.forEach((key, value) -> values.put(ConfigReader.envName(key), value));
    AdminConfig config = AdminConfig.from(ConfigReader.of(values));
    AdminModule module = AdminModule.create(config);
    FerryNode node = FerryNode.startLocal("Ferry admin test", config.node(), List.of(module))
        .await(20, TimeUnit.SECONDS);
    return new AdminTestNode(node, module);
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
    WebClient local = WebClient.create(node.vertx(), new io.vertx.ext.web.client.WebClientOptions().setLocalAddress(from));
    try {
      return local.get(node.httpPort(), "127.0.0.1", "/v1/queues").bearerTokenAuthentication(key)
          .putHeader(header, value).send().await(10, java.util.concurrent.TimeUnit.SECONDS);
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
    client.close();
    node.stop().await(20, TimeUnit.SECONDS);
  }
}
