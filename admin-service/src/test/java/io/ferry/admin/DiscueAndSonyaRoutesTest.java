package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscueAndSonyaRoutesTest {

  private AdminTestNode admin;
  private String key;

  @BeforeAll
  void start(@TempDir Path dataDir) throws Exception {
    admin = AdminTestNode.start(dataDir, Map.of());
    key = admin.bannerKey();
  }

  @AfterAll
  void stop() throws Exception {
    admin.close();
  }

  private String createQueue(String name) throws Exception {
    HttpResponse<Buffer> response = admin.post("/v1/queues", key, new JsonObject().put("name", name));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("queue").getString("id");
  }

  private static JsonObject listenerBody(String name) {
    return new JsonObject().put("name", name).put("notify_url", "https://hooks.example.com/notify")
        .put("liveness_url", "http://hooks.example.com:8080/live");
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String title, String inDetail) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("application/problem+json"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(title, body.getString("title"));
    assertEquals(status, body.getInteger("status"));
    assertTrue(body.getString("detail").contains(inDetail), body.getString("detail"));
  }

  private static void assertSonyaError(HttpResponse<Buffer> response, int status, String code, String inMessage) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(false, body.getBoolean("success"));
    assertEquals(code, body.getString("code"));
    assertTrue(body.getString("message").contains(inMessage), body.getString("message"));
  }

  @Test
  void discueCreatesAndListsQueues() throws Exception {
    HttpResponse<Buffer> response = admin.post("/v1/queues", key, new JsonObject().put("name", "discue-q"));
    assertEquals(200, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    String id = body.getJsonObject("queue").getString("id");
    assertTrue(Ids.isValid(id));
    assertEquals("discue-q", body.getJsonObject("queue").getString("name"));
    assertEquals("/v1/queues/" + id, body.getJsonObject("_links").getJsonObject("self").getString("href"));
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .anyMatch(q -> q.id().equals(id)));

    JsonArray queues = admin.get("/v1/queues", key).bodyAsJsonObject().getJsonArray("queues");
    assertTrue(queues.contains(new JsonObject().put("id", id).put("name", "discue-q")));
    HttpResponse<Buffer> pretty = admin.get("/v1/queues?pretty=true", key);
    assertTrue(pretty.bodyAsString().contains("\n"));
  }

  @Test
  void discueRejectsDuplicatesAndBadInput() throws Exception {
    createQueue("discue-dup");
    assertProblem(admin.post("/v1/queues", key, new JsonObject().put("name", "discue-dup")), 422,
        "Unprocessable Entity", "discue-dup");
    assertProblem(admin.post("/v1/queues", key, new JsonObject()), 400, "Bad Request", "name");
    assertProblem(admin.post("/v1/queues", key, new JsonObject().put("name", "a b")), 400, "Bad Request", "name");
    assertProblem(admin.post("/v1/queues", key, "nope"), 400, "Bad Request", "JSON");
    assertProblem(admin.post("/v1/queues", null, new JsonObject().put("name", "x")), 401, "Unauthorized",
        "API key");
    assertProblem(admin.get("/v1/queues", "fry_invalid"), 401, "Unauthorized", "not valid");
    assertFalse(admin.get("/v1/queues", key).bodyAsString().contains("\"a b\""));
  }

  @Test
  void createsListenerWithSecretAndSubscription() throws Exception {
    String queueId = createQueue("hooked");
    HttpResponse<Buffer> response = admin.post("/v1/queues/" + queueId + "/listeners", key,
        listenerBody("myapp.io/deletion-listener"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject listener = response.bodyAsJsonObject().getJsonObject("listener");
    String listenerId = listener.getString("id");
    assertTrue(Ids.isValid(listenerId));
    assertEquals("myapp.io/deletion-listener", listener.getString("name"));
    String secret = listener.getString("secret");
    assertTrue(secret.startsWith("whsec_"));
    assertEquals(24, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);
    assertEquals("/v1/queues/" + queueId + "/listeners/" + listenerId, response.bodyAsJsonObject()
        .getJsonObject("_links").getJsonObject("self").getString("href"));

    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_UPSERT, SubscriptionSpec.class)
        .contains(new SubscriptionSpec(listenerId, queueId, SubscriptionSpec.Kind.LISTENER, 10, 10, 5, 60_000, null)));
    Eventually.assertTrue(() -> admin.events("listener.created").stream()
        .anyMatch(e -> e.resourceId().equals(listenerId) && e.payload().getString("queue_id").equals(queueId)));

    JsonObject expected = new JsonObject().put("id", listenerId).put("name", "myapp.io/deletion-listener")
        .put("notify_url", "https://hooks.example.com/notify").put("liveness_url", "http://hooks.example.com:8080/live")
        .put("queue_id", queueId);
    HttpResponse<Buffer> ofQueue = admin.get("/v1/queues/" + queueId + "/listeners", key);
    assertEquals(new JsonArray().add(expected), ofQueue.bodyAsJsonObject().getJsonArray("listeners"));
    HttpResponse<Buffer> all = admin.get("/v1/listeners", key);
    assertTrue(all.bodyAsJsonObject().getJsonArray("listeners").contains(expected));
    assertFalse(all.bodyAsString().contains(secret));
    assertFalse(ofQueue.bodyAsString().contains("secret"));
  }

  @Test
  void rejectsBadListeners() throws Exception {
    String queueId = createQueue("hook-errors");
    String path = "/v1/queues/" + queueId + "/listeners";
    assertProblem(admin.post(path, key, listenerBody("l").put("notify_url", "ftp://example.com/x")), 422,
        "Unprocessable Entity", "notify_url: must use http or https");
    assertProblem(admin.post(path, key, listenerBody("l").put("notify_url", "/relative/path")), 422,
        "Unprocessable Entity", "notify_url: must be an absolute URL");
    assertProblem(admin.post(path, key, listenerBody("l").put("liveness_url", "http://exa mple.com")), 422,
        "Unprocessable Entity", "liveness_url: is not a valid URL");
    assertProblem(admin.post(path, key, listenerBody("l").put("liveness_url", "https:///nohost")), 422,
        "Unprocessable Entity", "liveness_url");
    assertProblem(admin.post(path, key, listenerBody("l").putNull("liveness_url")), 400, "Bad Request",
        "liveness_url");
    assertProblem(admin.post(path, key, listenerBody("l").put("notify_url", 42)), 400, "Bad Request",
        "notify_url");
    assertProblem(admin.post(path, key, listenerBody(" ")), 400, "Bad Request", "name");
    assertProblem(admin.post("/v1/queues/" + Ids.newId() + "/listeners", key, listenerBody("l")), 404,
        "Not Found", "not found");
    assertProblem(admin.post("/v1/queues/nope/listeners", key, listenerBody("l")), 400, "Bad Request",
        "queue_id");
    assertProblem(admin.get("/v1/queues/nope/listeners", key), 400, "Bad Request", "queue_id");
    assertProblem(admin.get("/v1/queues/" + Ids.newId() + "/listeners", key), 404, "Not Found", "not found");
    assertProblem(admin.post(path, null, listenerBody("l")), 401, "Unauthorized", "API key");
    assertEquals(0, admin.get(path, key).bodyAsJsonObject().getJsonArray("listeners").size());
  }

  @Test
  void sonyaCreateIsIdempotent() throws Exception {
    HttpResponse<Buffer> first = admin.post("/queue/create/sonya-q", key, null);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(new JsonObject().put("success", true), first.bodyAsJsonObject());
    HttpResponse<Buffer> second = admin.post("/queue/create/sonya-q", key, null);
    assertEquals(201, second.statusCode());
    assertEquals(new JsonObject().put("success", true), second.bodyAsJsonObject());
    assertEquals(1, admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .filter(q -> q.name().equals("sonya-q")).count());
    QueueInfo queue = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .filter(q -> q.name().equals("sonya-q")).findFirst().orElseThrow();
    assertEquals(admin.defaultAccountId(), queue.accountId());
    assertEquals(io.ferry.contracts.model.QueueSettings.DEFAULTS, queue.settings());
    // The same queue in every dialect.
    assertTrue(admin.get("/v1/queues", key).bodyAsJsonObject().getJsonArray("queues")
        .contains(new JsonObject().put("id", queue.id()).put("name", "sonya-q")));
  }

  @Test
  void sonyaAcceptsEncodedSlashAndRejectsBadNames() throws Exception {
    assertEquals(201, admin.post("/queue/create/team%2Fjobs", key, null).statusCode());
    assertTrue(admin.get("/v1/queues", key).bodyAsString().contains("\"team/jobs\""));
    assertSonyaError(admin.post("/queue/create/bad%20name", key, null), 400, "invalid_field", "queue");
    assertSonyaError(admin.post("/queue/create/" + "q".repeat(129), key, null), 400, "invalid_field", "queue");
    assertSonyaError(admin.post("/queue/create/nokey", null, null), 401, "unauthenticated", "API key");
    assertFalse(admin.get("/v1/queues", key).bodyAsString().contains("nokey"));
  }
}
