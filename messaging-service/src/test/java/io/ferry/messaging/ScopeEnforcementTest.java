package io.ferry.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.CredentialsRevoked;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.BusPayload;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.messaging.config.MessagingConfig;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.store.RocksMessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scopes on the message routes: each credential (an in-test stand-in for admin's auth) holds the grants named
 * after it, and a JWT those its claims name (verified by messaging itself); queue names come from a stand-in for admin's queue lookup, as in production.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopeEnforcementTest {

  private static final String ACCOUNT = "acct-scoped";
  private static final String OTHER_ACCOUNT = "acct-other";
  private static final String IDP_SECRET = "the-identity-providers-hs256-secret-0123456789";

  private FerryNode node;
  private WebClient client;
  private final Map<String, QueueInfo> queues = new ConcurrentHashMap<>();
  private final Map<String, List<String>> grants = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final List<String> busTraffic = new CopyOnWriteArrayList<>();
  private QueueInfo orders;
  private QueueInfo other;
  private QueueInfo foreign;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    MessagingConfig config = MessagingConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("http.instances"), "1",
        ConfigReader.envName("storage.data-dir"), dir.toString(),
        ConfigReader.envName("auth.jwt.hs256-secret"), IDP_SECRET)));
    MessagingModule module = new MessagingModule(config, RocksMessageStore::open,
        MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES);
    node = FerryNode.startLocal("Ferry messaging scope test", config.node(), List.of(module))
        .await(20, TimeUnit.SECONDS);
    Vertx vertx = node.vertx();
    client = WebClient.create(vertx);
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      Object body = delivery.message().body();
      busTraffic.add(body instanceof BusPayload payload ? payload.toJson().encode() : String.valueOf(body));
      delivery.next();
    });
    // As admin: keys by hash, JWTs by the claims messaging verified, or refused with messaging's reason.
    Bus.<AuthRequest, Principal>serve(vertx, Addresses.AUTH_AUTHENTICATE, request -> {
      List<String> scopes = grants.get(String.valueOf(request.keyHash()));
      if (scopes == null && request.token() != null) {
        return Future.succeededFuture(request.token().principal());
      }
      return scopes == null ? Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED,
          request.refusal() != null ? request.refusal() : "unknown"))
          : Future.succeededFuture(new Principal(ACCOUNT, request.keyHash(), scopes, false));
    }).await(5, TimeUnit.SECONDS);
    Bus.<QueueLookup, QueueInfo>serve(vertx, Addresses.QUEUE_LOOKUP, lookup -> {
      lookups.incrementAndGet();
      QueueInfo queue = queues.get(lookup.queueId());
      return queue != null && queue.accountId().equals(lookup.accountId()) ? Future.succeededFuture(queue)
          : Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue not found"));
    }).await(5, TimeUnit.SECONDS);
    orders = queue(ACCOUNT, "orders");
    other = queue(ACCOUNT, "other");
    foreign = queue(OTHER_ACCOUNT, "orders");
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    node.stop().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aWriterOfOneQueuePushesThereOnly() throws Exception {
    String key = credential("messages:write:orders");
    assertEquals(200, push(key, orders).statusCode());
    HttpResponse<Buffer> refused = push(key, other);
    assertEquals(403, refused.statusCode());
    assertEquals(10106, refused.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    assertEquals(404, push(key, foreign).statusCode(), "another account's queue of the same name");
    assertEquals(200, post(key, cloudflare(orders) + "/messages/batch", new JsonObject().put("messages",
        new JsonArray().add(new JsonObject().put("body", "b")))).statusCode());
    assertEquals(200, post(key, cloudflare(orders) + "/messages/pull", new JsonObject()).statusCode());
    assertEquals(200, post(key, cloudflare(orders) + "/messages/ack", new JsonObject()).statusCode());
    assertEquals(403, post(key, cloudflare(other) + "/messages/pull", new JsonObject()).statusCode());
    assertEquals(403, post(key, cloudflare(orders) + "/messages/peek", new JsonObject()).statusCode(),
        "peek is a read, and this key only writes");
    assertEquals(403, get(key, cloudflare(orders) + "/metrics").statusCode(), "metrics are a queues grant");
    assertEquals(200, post(key, "/v1/queues/" + orders.id() + "/messages", new JsonObject().put("data", "d"))
        .statusCode());
    assertEquals(403, post(key, "/v1/queues/" + other.id() + "/messages", new JsonObject().put("data", "d"))
        .statusCode());
    assertEquals(403, get(key, "/v1/messages").statusCode());
  }

  @Test
  void readersPeekAndListButNeverChange() throws Exception {
    String writer = credential("messages:write:*");
    String messageId = post(writer, "/v1/queues/" + other.id() + "/messages", new JsonObject().put("data", "x"))
        .bodyAsJsonObject().getJsonObject("message").getString("id");
    push(writer, orders);
    String reader = credential("messages:read:*");
    assertEquals(200, post(reader, cloudflare(orders) + "/messages/peek", new JsonObject()).statusCode());
    assertEquals(200, get(reader, "/v1/queues/" + other.id() + "/messages/" + messageId).statusCode());
    assertEquals(403, push(reader, orders).statusCode());
    assertEquals(403, delete(reader, "/v1/queues/" + other.id() + "/messages/" + messageId).statusCode());
    assertEquals(403, post(reader, cloudflare(orders) + "/messages/purge", new JsonObject()
        .put("refs", new JsonArray())).statusCode());
    String queueReader = credential("queues:read:*");
    assertEquals(200, get(queueReader, cloudflare(orders) + "/metrics").statusCode());
    assertEquals(404, get(queueReader, cloudflare(foreign) + "/metrics").statusCode());
  }

  @Test
  void anAccountWideListingShowsOnlyGrantedQueues() throws Exception {
    String writer = credential("messages:write:*");
    post(writer, "/v1/queues/" + orders.id() + "/messages", new JsonObject().put("name", "in-orders").put("data", "1"));
    post(writer, "/v1/queues/" + other.id() + "/messages", new JsonObject().put("name", "in-other").put("data", "2"));
    String ordersReader = credential("messages:read:orders");
    String listed = get(ordersReader, "/v1/messages").bodyAsString();
    assertTrue(listed.contains("in-orders"), listed);
    assertFalse(listed.contains("in-other"), listed);
    assertEquals(403, get(ordersReader, "/v1/queues/" + other.id() + "/messages").statusCode());
    assertTrue(get(credential("messages:read:*"), "/v1/messages").bodyAsString().contains("in-other"));
  }

  @Test
  void grantsForEveryQueueOrByIdNeedNoLookup() throws Exception {
    int before = lookups.get();
    assertEquals(200, push(credential("messages:write:*"), orders).statusCode());
    assertEquals(200, push(credential("messages:write:" + orders.id()), orders).statusCode());
    assertEquals(200, push(credential("*"), orders).statusCode());
    assertEquals(before, lookups.get());
    assertEquals(404, push(credential("*"), foreign).statusCode());
  }

  @Test
  void aJwtIsVerifiedByMessagingAndOnlyItsClaimsCrossTheBus() throws Exception {
    busTraffic.clear();
    String token = jwt(IDP_SECRET, claims("messages:write:orders"));
    assertEquals(200, push(token, orders).statusCode());
    assertEquals(403, push(token, other).statusCode());
    String forged = jwt("a-secret-someone-guessed-that-is-long-enough-0", claims("*"));
    String expired = jwt(IDP_SECRET, claims("*").put("exp", System.currentTimeMillis() / 1000 - 120));
    assertRefused(forged, "invalid token");
    assertRefused(expired, "the token has expired");
    assertRefused("a.b.c", "invalid token");
    assertFalse(busTraffic.isEmpty());
    for (String payload : busTraffic) {
      for (String presented : List.of(token, forged, expired)) {
        assertFalse(payload.contains(presented), "a token crossed the bus: " + payload);
      }
    }
  }

  @Test
  void aRevocationAdminAnnouncesEmptiesMessagingsAuthCacheAtOnce() throws Exception {
    String key = credential("messages:write:*");
    assertEquals(200, push(key, orders).statusCode(), "accepted, and so cached for 5 s");

    // As admin does once a narrowed key is stored: the next answer differs, and every service is told.
    grants.put(AuthRequest.keyHash(key), List.of("messages:read:*"));
    Bus.publish(node.vertx(), Endpoints.CREDENTIALS_REVOKED, new CredentialsRevoked(ACCOUNT));

    await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertEquals(403, push(key, orders).statusCode()));
  }

  private void assertRefused(String token, String reason) throws Exception {
    HttpResponse<Buffer> cloudflare = push(token, orders);
    assertEquals(401, cloudflare.statusCode());
    JsonObject error = cloudflare.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertEquals(10106, error.getInteger("code"));
    assertEquals(reason, error.getString("message"));
    HttpResponse<Buffer> discue = post(token, "/v1/queues/" + orders.id() + "/messages",
        new JsonObject().put("data", "d"));
    assertEquals(401, discue.statusCode());
    assertEquals(reason, discue.bodyAsJsonObject().getString("detail"));
  }

  private JsonObject claims(String scope) {
    return new JsonObject().put("sub", "user-7").put("account", ACCOUNT).put("aud", "ferry").put("scope", scope)
        .put("exp", System.currentTimeMillis() / 1000 + 600);
  }

  private String jwt(String secret, JsonObject claims) {
    return JWTAuth.create(node.vertx(), new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)))
        .generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  private String credential(String... scopes) {
    String key = "key-" + Ids.newId();
    grants.put(AuthRequest.keyHash(key), List.of(scopes));
    return key;
  }

  private QueueInfo queue(String account, String name) throws Exception {
    QueueInfo queue = new QueueInfo(Ids.newId(), account, name, 1, 1, QueueSettings.DEFAULTS);
    Bus.<Ack>request(node.vertx(), Addresses.MESSAGING_QUEUE_UPSERT, queue).await(10, TimeUnit.SECONDS);
    Bus.<Ack>request(node.vertx(), Addresses.MESSAGING_SUBSCRIPTION_UPSERT, new SubscriptionSpec(Ids.newId(),
        queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER, 5, 3, 0, 30_000, null)).await(10, TimeUnit.SECONDS);
    queues.put(queue.id(), queue);
    return queue;
  }

  private static String cloudflare(QueueInfo queue) {
    return "/client/v4/accounts/" + ACCOUNT + "/queues/" + queue.id();
  }

  private HttpResponse<Buffer> push(String key, QueueInfo queue) throws Exception {
    return post(key, cloudflare(queue) + "/messages", new JsonObject().put("body", "hello"));
  }

  private HttpResponse<Buffer> post(String key, String path, JsonObject body) throws Exception {
    return auth(client.post(node.httpPort(), "127.0.0.1", path), key).sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> get(String key, String path) throws Exception {
    return auth(client.get(node.httpPort(), "127.0.0.1", path), key).send().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> delete(String key, String path) throws Exception {
    return auth(client.delete(node.httpPort(), "127.0.0.1", path), key).send().await(10, TimeUnit.SECONDS);
  }

  private static HttpRequest<Buffer> auth(HttpRequest<Buffer> request, String key) {
    return request.bearerTokenAuthentication(key);
  }
}
