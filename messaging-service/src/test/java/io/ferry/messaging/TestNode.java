package io.ferry.messaging;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.MessagingConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.runtime.FerryNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real messaging process for tests: the module on a local Ferry node with its HTTP server, RocksDB in a
 * temp dir, and in-test stand-ins for admin-service (auth; topology commands are sent as admin would).
 */
final class TestNode implements AutoCloseable {

  static final String ACCOUNT_A = "acct-a";
  static final String ACCOUNT_B = "acct-b";
  static final String KEY_A = "key-a";
  static final String KEY_B = "key-b";

  final FerryNode node;
  final Vertx vertx;
  final WebClient client;

  private TestNode(FerryNode node) {
    this.node = node;
    this.vertx = node.vertx();
    this.client = WebClient.create(vertx);
    await(Bus.<AuthRequest, Principal>serve(vertx, Addresses.AUTH_AUTHENTICATE, request -> {
      if (KEY_A.equals(request.credential())) {
        return Future.succeededFuture(new Principal(ACCOUNT_A, "key-a-id", List.of(Principal.ALL), false));
      }
      if (KEY_B.equals(request.credential())) {
        return Future.succeededFuture(new Principal(ACCOUNT_B, "key-b-id", List.of(Principal.ALL), false));
      }
      return Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED, "missing or invalid credential"));
    }));
  }

  static TestNode start(Path dataDir) {
    ConfigReader reader = ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("http.instances"), "2",
        ConfigReader.envName("storage.data-dir"), dataDir.toString(),
        ConfigReader.envName("messaging.lease-sweep-ms"), "50"));
    MessagingConfig config = MessagingConfig.from(reader);
    return new TestNode(await(FerryNode.startLocal("Ferry messaging test", config.node(),
        List.of(MessagingModule.create(config)))));
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
    SubscriptionSpec spec = new SubscriptionSpec(Ids.newId(), queueId, kind, 5, 3, 0, 30_000, null);
    await(Bus.<Ack>request(vertx, Addresses.MESSAGING_SUBSCRIPTION_UPSERT, spec));
    return spec;
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

  static String queuePath(String accountId, String queueId) {
    return "/accounts/" + accountId + "/queues/" + queueId;
  }

  static JsonObject json(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void eventually(BooleanSupplier condition, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + timeoutMs + " ms");
      }
      sleep(20);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    await(node.stop());
  }
}
