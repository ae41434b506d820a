package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.SONYA;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.KeyRef;
import io.ferry.contracts.model.ResourceRef;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sonya's generate_jwt, close and delete routes, and the credentials they accept. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SonyaAdminRoutesTest {

  private static final String SERVICE_TOKEN = "sonya-service-token-for-tests";
  private static final int TTL_SECONDS = 120;

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass(
      Map.of("auth.sonya-service-token", SERVICE_TOKEN, "auth.sonya-token-ttl-seconds", Integer.toString(TTL_SECONDS)));
  private String rootKey;
  private final List<KeyRef> keyDeletions = new CopyOnWriteArrayList<>();
  private volatile boolean keyDeletionFails;
  private MessageConsumer<KeyRef> keyDeletionStandIn;

  @BeforeAll
  void start() throws Exception {
    rootKey = admin.rootKey();
    // messaging-service's side of delete-by-id, which is built elsewhere.
    keyDeletionStandIn = Bus.<KeyRef, Ack>serve(admin.node.vertx(), Addresses.MESSAGING_DELETE_BY_KEY, ref -> {
      keyDeletions.add(ref);
      return keyDeletionFails ? Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "stand-in down"))
          : Future.succeededFuture(Ack.INSTANCE);
    }).await(5, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    keyDeletionStandIn.unregister().await(5, TimeUnit.SECONDS);
  }

  private void createQueue(String name) throws Exception {
    assertEquals(201, admin.post("/queue/create/" + name, SERVICE_TOKEN, null).statusCode());
  }

  private static JsonObject claims(String token) {
    String[] parts = token.split("\\.");
    assertEquals(3, parts.length, token);
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    assertEquals("HS256", header.getString("alg"));
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  // The ids whose messages.deleted_by_key was announced for the queue, in order.
  private List<String> idsDeletedIn(String queueName) {
    return admin.events(EventTypes.MESSAGES_DELETED_BY_KEY).stream()
        .filter(e -> queueName.equals(e.payload().getString("queue_name")))
        .map(e -> e.payload().getString("id")).toList();
  }

  private Principal authenticate(String credential) throws Exception {
    return Bus.<Principal>request(admin.node.vertx(), Addresses.AUTH_AUTHENTICATE,
        new AuthRequest(credential, "10.9.8.7")).await(5, TimeUnit.SECONDS);
  }

  @Test
  void generateJwtIssuesATokenForThatQueueAndIdOnly() throws Exception {
    createQueue("orders");
    long before = System.currentTimeMillis() / 1000;
    HttpResponse<Buffer> response = admin.post("/queue/generate_jwt/orders/user-7", SERVICE_TOKEN, null);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    String token = body.getString("token");
    long expiration = body.getLong("expiration");
    assertTrue(expiration >= before + TTL_SECONDS && expiration <= before + TTL_SECONDS + 2, body.encode());

    JsonObject claims = claims(token);
    assertEquals("user-7", claims.getString("sub"));
    assertEquals("orders", claims.getString("iss"));
    assertEquals(admin.defaultAccountId(), claims.getString("account"));
    assertEquals("ferry-sonya", claims.getString("aud"));
    assertEquals(expiration, claims.getLong("exp"));

    Principal principal = authenticate(token);
    assertEquals(admin.defaultAccountId(), principal.accountId());
    assertEquals("sonya:user-7", principal.subject());
    assertEquals(List.of(Principal.sonyaListen("orders", "user-7")), principal.scopes());
    assertEquals(expiration * 1000, principal.expiresAtMs());
    assertTrue(!principal.root() && !principal.allows(Principal.SONYA));
  }

  @Test
  void generateJwtAcceptsAFullKeyAndEncodedNames() throws Exception {
    createQueue("team%2Fjobs");
    HttpResponse<Buffer> response = admin.post("/queue/generate_jwt/team%2Fjobs/a%20b", rootKey, null);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject claims = claims(response.bodyAsJsonObject().getString("token"));
    assertEquals("team/jobs", claims.getString("iss"));
    assertEquals("a b", claims.getString("sub"));
  }

  @Test
  void serviceTokenIsTheDefaultAccountsSonyaScopeOnly() throws Exception {
    Principal service = authenticate(SERVICE_TOKEN);
    assertEquals(admin.defaultAccountId(), service.accountId());
    assertEquals("sonya-service-token", service.subject());
    assertEquals(List.of(Principal.SONYA), service.scopes());
    assertEquals(403, admin.get("/v1/queues", SERVICE_TOKEN).statusCode());
    assertEquals(403, admin.get("/accounts", SERVICE_TOKEN).statusCode());
  }

  @Test
  void generateJwtRefusals() throws Exception {
    createQueue("guarded");
    assertError(admin.post("/queue/generate_jwt/no-such-queue/1", SERVICE_TOKEN, null),
        SONYA, ErrorCode.QUEUE_NOT_FOUND);
    assertError(admin.post("/queue/generate_jwt/guarded/1", null, null), SONYA, ErrorCode.UNAUTHENTICATED);
    assertError(admin.post("/queue/generate_jwt/guarded/1", "wrong-token", null), SONYA, ErrorCode.UNAUTHENTICATED);
    assertError(admin.post("/queue/generate_jwt/bad%20name/1", SERVICE_TOKEN, null), SONYA, ErrorCode.INVALID_FIELD);
    HttpResponse<Buffer> longId = admin.post("/queue/generate_jwt/guarded/" + "i".repeat(513), SERVICE_TOKEN, null);
    assertError(longId, SONYA, ErrorCode.INVALID_FIELD);
    assertTrue(longId.bodyAsJsonObject().getString("message").startsWith("id:"));

    String idToken = admin.post("/queue/generate_jwt/guarded/1", SERVICE_TOKEN, null).bodyAsJsonObject()
        .getString("token");
    assertError(admin.post("/queue/generate_jwt/guarded/2", idToken, null), SONYA, ErrorCode.FORBIDDEN);
    assertError(admin.post("/queue/close/guarded", idToken, null), SONYA, ErrorCode.FORBIDDEN);
    assertError(admin.post("/queue/create/other", idToken, null), SONYA, ErrorCode.FORBIDDEN);
    assertEquals(403, admin.get("/v1/queues", idToken).statusCode());
  }

  @Test
  void closeDeletesTheQueueLikeTheCloudflareDelete() throws Exception {
    createQueue("closing");
    String queueId = admin.get("/v1/queues", rootKey).bodyAsJsonObject().getJsonArray("queues").stream()
        .map(JsonObject.class::cast).filter(q -> q.getString("name").equals("closing")).findFirst().orElseThrow()
        .getString("id");
    HttpResponse<Buffer> closed = admin.post("/queue/close/closing", SERVICE_TOKEN, null);
    assertEquals(200, closed.statusCode(), closed.bodyAsString());
    assertEquals(new JsonObject().put("success", true), closed.bodyAsJsonObject());
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_QUEUE_DELETE, ResourceRef.class).stream()
        .anyMatch(ref -> ref.id().equals(queueId)));
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events(EventTypes.QUEUE_DELETED).stream()
        .anyMatch(e -> e.resourceId().equals(queueId)));

    HttpResponse<Buffer> again = admin.post("/queue/close/closing", SERVICE_TOKEN, null);
    assertEquals(200, again.statusCode(), "closing is idempotent, as in Sonya: " + again.bodyAsString());
    assertEquals(new JsonObject().put("success", false), again.bodyAsJsonObject());
    assertError(admin.post("/queue/generate_jwt/closing/1", SERVICE_TOKEN, null), SONYA, ErrorCode.QUEUE_NOT_FOUND);
    assertEquals(201, admin.post("/queue/create/closing", SERVICE_TOKEN, null).statusCode(), "the name is free again");
  }

  @Test
  void closeOfAMissingQueueAnswersLikeSonya() throws Exception {
    int deletesBefore = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_DELETE, ResourceRef.class).size();
    HttpResponse<Buffer> closed = admin.post("/queue/close/never-was", SERVICE_TOKEN, null);
    assertEquals(200, closed.statusCode(), closed.bodyAsString());
    assertEquals("application/json", closed.getHeader("Content-Type"));
    assertEquals(new JsonObject().put("success", false), closed.bodyAsJsonObject());
    assertEquals(deletesBefore, admin.messaging.payloads(Addresses.MESSAGING_QUEUE_DELETE, ResourceRef.class).size(),
        "nothing was deleted");
  }

  @Test
  void closeRefusals() throws Exception {
    assertError(admin.post("/queue/close/never-was", null, null), SONYA, ErrorCode.UNAUTHENTICATED);
    assertError(admin.post("/queue/close/bad%20name", SERVICE_TOKEN, null), SONYA, ErrorCode.INVALID_FIELD);
  }

  @Test
  void deleteIdDeletesInMessagingThenAnnouncesIt() throws Exception {
    createQueue("keyed");
    HttpResponse<Buffer> deleted = admin.post("/queue/delete/keyed/user-1", SERVICE_TOKEN, null);
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(new JsonObject().put("success", true), deleted.bodyAsJsonObject());
    KeyRef ref = keyDeletions.stream().filter(r -> r.key().equals("user-1")).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events(EventTypes.MESSAGES_DELETED_BY_KEY).stream()
        .anyMatch(e -> e.resourceId().equals(ref.queueId())));
    FerryEvent event = admin.events(EventTypes.MESSAGES_DELETED_BY_KEY).stream()
        .filter(e -> e.resourceId().equals(ref.queueId())).findFirst().orElseThrow();
    assertEquals(new JsonObject().put("queue_id", ref.queueId()).put("queue_name", "keyed").put("id", "user-1"),
        event.payload());
    assertEquals(admin.defaultAccountId(), event.accountId());
  }

  @Test
  void deleteIdRefusalsChangeNothing() throws Exception {
    createQueue("keyed-refusals");
    int commands = keyDeletions.size();
    assertError(admin.post("/queue/delete/never-was/1", SERVICE_TOKEN, null), SONYA, ErrorCode.QUEUE_NOT_FOUND);
    assertError(admin.post("/queue/delete/keyed-refusals/1", null, null), SONYA, ErrorCode.UNAUTHENTICATED);
    assertError(admin.post("/queue/delete/keyed-refusals/" + "i".repeat(513), SERVICE_TOKEN, null),
        SONYA, ErrorCode.INVALID_FIELD);
    assertEquals(commands, keyDeletions.size(), "no command for a refused request");

    keyDeletionFails = true;
    try {
      assertError(admin.post("/queue/delete/keyed-refusals/1", SERVICE_TOKEN, null), SONYA, ErrorCode.UNAVAILABLE);
    } finally {
      keyDeletionFails = false;
    }
    // A later delete is announced after anything the failed one announced: once it is seen, nothing else came.
    assertEquals(200, admin.post("/queue/delete/keyed-refusals/2", SERVICE_TOKEN, null).statusCode());
    await().atMost(Duration.ofSeconds(5)).until(() -> idsDeletedIn("keyed-refusals").contains("2"));
    assertEquals(List.of("2"), idsDeletedIn("keyed-refusals"), "nothing announced for the failed delete");
  }

  @Test
  void openApiDocumentsTheSonyaRoutes() throws Exception {
    String openApi = admin.get("/openapi.yaml", null).bodyAsString();
    for (String path : List.of("/queue/close/{queue}", "/queue/delete/{queue}/{id}",
        "/queue/generate_jwt/{queue}/{id}")) {
      assertTrue(openApi.contains(path), path);
    }
  }
}
