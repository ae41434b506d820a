package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.testkit.DialectAssertions.assertExactError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a discue user relies on beyond single routes: unknown ids of any form are 404, content negotiation
 * (406, 415), pretty errors, the events filter, list links and discue's API-key shapes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscueFidelityTest {

  // The seed document's own queue id: not one of Ferry's ids, and naming nothing.
  private static final String SEED_ID = "180994c-b6b2-4d0e-b7ad-414716e83386";

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private WebClient client;
  private String root;

  @BeforeAll
  void start() throws Exception {
    client = WebClient.create(admin.node.vertx());
    root = admin.rootKey();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest<Buffer> request = client.request(method, admin.node.httpPort(), "127.0.0.1", path)
        .bearerTokenAuthentication(root);
    headers.forEach(request::putHeader);
    return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await(10, TimeUnit.SECONDS);
  }

  private String createListener(String queueId, String name) throws Exception {
    HttpResponse<Buffer> created = admin.post("/v1/queues/" + queueId + "/listeners", root,
        DiscueListenerRoutesTest.listenerBody(name));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("listener").getString("id");
  }

  @Test
  void anyIdThatNamesNothingIs404OnEveryRouteTakingOne() throws Exception {
    FerryException noQueue = new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + SEED_ID + " not found");
    JsonObject body = new JsonObject().put("name", "x");
    assertExactError(admin.get("/v1/queues/" + SEED_ID, root), DISCUE, noQueue);
    assertExactError(admin.call(HttpMethod.PUT, "/v1/queues/" + SEED_ID, root, body), DISCUE, noQueue);
    assertExactError(admin.call(HttpMethod.DELETE, "/v1/queues/" + SEED_ID, root, null), DISCUE, noQueue);
    assertExactError(admin.get("/v1/queues/" + SEED_ID + "/listeners", root), DISCUE, noQueue);
    assertExactError(admin.post("/v1/queues/" + SEED_ID + "/listeners", root,
        DiscueListenerRoutesTest.listenerBody("x")), DISCUE, noQueue);
    String inSeedQueue = "/v1/queues/" + SEED_ID + "/listeners/" + SEED_ID;
    assertExactError(admin.get(inSeedQueue, root), DISCUE, noQueue);
    assertExactError(admin.call(HttpMethod.PUT, inSeedQueue, root, body), DISCUE, noQueue);
    assertExactError(admin.call(HttpMethod.DELETE, inSeedQueue, root, null), DISCUE, noQueue);
    assertExactError(admin.post(inSeedQueue + "/secret/rotate", root, null), DISCUE, noQueue);
    assertExactError(admin.post(inSeedQueue + "/redeliver", root, null), DISCUE, noQueue);

    String queueId = admin.discueQueue(root, "named-things");
    FerryException noListener = new FerryException(ErrorCode.NOT_FOUND, "listener " + SEED_ID + " not found");
    String listener = "/v1/queues/" + queueId + "/listeners/" + SEED_ID;
    assertExactError(admin.get(listener, root), DISCUE, noListener);
    assertExactError(admin.call(HttpMethod.PUT, listener, root, body), DISCUE, noListener);
    assertExactError(admin.call(HttpMethod.DELETE, listener, root, null), DISCUE, noListener);
    assertExactError(admin.post(listener + "/secret/rotate", root, null), DISCUE, noListener);
    assertExactError(admin.post(listener + "/redeliver", root, null), DISCUE, noListener);

    FerryException noKey = new FerryException(ErrorCode.NOT_FOUND, "api key " + SEED_ID + " not found");
    assertExactError(admin.get("/v1/api_keys/" + SEED_ID, root), DISCUE, noKey);
    assertExactError(admin.call(HttpMethod.PUT, "/v1/api_keys/" + SEED_ID, root, body), DISCUE, noKey);
    assertExactError(admin.call(HttpMethod.DELETE, "/v1/api_keys/" + SEED_ID, root, null), DISCUE, noKey);
    assertExactError(admin.get("/v1/api_clients/" + SEED_ID, root), DISCUE,
        new FerryException(ErrorCode.NOT_FOUND, "api client " + SEED_ID + " not found"));
    assertEquals("named-things", admin.get("/v1/queues/" + queueId, root).bodyAsJsonObject()
        .getJsonObject("queue").getString("name"), "nothing changed");
  }

  @Test
  void anAcceptWithoutJsonIs406AndChangesNothing() throws Exception {
    FerryException notAcceptable = new FerryException(ErrorCode.NOT_ACCEPTABLE,
        "Accept: the answer can only be application/json (or application/problem+json for errors)");
    assertExactError(send(HttpMethod.GET, "/v1/queues", Map.of("Accept", "text/html"), null), DISCUE, notAcceptable);
    assertExactError(send(HttpMethod.GET, "/v1/queues",
        Map.of("Accept", "application/json;q=0, text/plain"), null), DISCUE, notAcceptable);
    assertExactError(send(HttpMethod.POST, "/v1/queues",
        Map.of("Accept", "application/xml", "Content-Type", "application/json"), "{\"name\":\"never-406\"}"),
        DISCUE, notAcceptable);
    assertFalse(admin.get("/v1/queues", root).bodyAsString().contains("never-406"));

    for (String accept : List.of("application/json", "*/*", "application/*", "text/html, application/json;q=0.5",
        "application/problem+json", "Application/JSON; charset=utf-8")) {
      assertEquals(200, send(HttpMethod.GET, "/v1/queues", Map.of("Accept", accept), null).statusCode(), accept);
    }
  }

  @Test
  void aBodyDeclaredAsSomethingElseThanJsonIs415AndChangesNothing() throws Exception {
    FerryException unsupported = new FerryException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type: the request body must be application/json");
    String body = "{\"name\":\"never-415\"}";
    assertExactError(send(HttpMethod.POST, "/v1/queues", Map.of("Content-Type", "text/plain"), body),
        DISCUE, unsupported);
    assertExactError(send(HttpMethod.POST, "/v1/queues",
        Map.of("Content-Type", "application/x-www-form-urlencoded"), body), DISCUE, unsupported);
    assertExactError(send(HttpMethod.POST, "/v1/api_keys", Map.of("Content-Type", "text/xml"),
        "{\"alias\":\"never-415\"}"), DISCUE, unsupported);
    String listed = admin.get("/v1/queues", root).bodyAsString() + admin.get("/v1/api_keys", root).bodyAsString();
    assertFalse(listed.contains("never-415"), listed);

    assertEquals(200, send(HttpMethod.POST, "/v1/queues",
        Map.of("Content-Type", "application/json; charset=utf-8"), "{\"name\":\"typed-json\"}").statusCode());
    assertEquals(200, send(HttpMethod.POST, "/v1/queues", Map.of(), "{\"name\":\"untyped-json\"}").statusCode(),
        "a body without Content-Type is read as JSON");
    assertEquals(200, send(HttpMethod.GET, "/v1/queues", Map.of("Content-Type", "text/plain"), null).statusCode(),
        "no body, nothing to refuse");
  }

  @Test
  void prettyAppliesToErrorsToo() throws Exception {
    HttpResponse<Buffer> notFound = admin.get("/v1/queues/" + SEED_ID + "?pretty=true", root);
    assertEquals(404, notFound.statusCode());
    JsonObject expected = DISCUE.errorBody(
        new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + SEED_ID + " not found"));
    assertEquals(expected.encodePrettily(), notFound.bodyAsString());

    HttpResponse<Buffer> unauthenticated = admin.get("/v1/queues?pretty=true", null);
    assertEquals(401, unauthenticated.statusCode());
    assertEquals(unauthenticated.bodyAsJsonObject().encodePrettily(), unauthenticated.bodyAsString());
    HttpResponse<Buffer> notAcceptable = send(HttpMethod.GET, "/v1/queues?pretty=true", Map.of("Accept", "text/csv"),
        null);
    assertEquals(406, notAcceptable.statusCode());
    assertTrue(notAcceptable.bodyAsString().contains("\n"), notAcceptable.bodyAsString());

    assertEquals(expected.encode(), admin.get("/v1/queues/" + SEED_ID, root).bodyAsString(), "compact otherwise");
    assertEquals(admin.get("/v1/queues/" + SEED_ID + "?pretty=false", root).bodyAsString(), expected.encode());
  }

  @Test
  void listsCarryASelfLinkAndOneLinkPerItem() throws Exception {
    String queueId = admin.discueQueue(root, "linked");
    String listenerId = createListener(queueId, "linked-listener");

    JsonObject queues = admin.get("/v1/queues", root).bodyAsJsonObject().getJsonObject("_links");
    assertEquals(new JsonObject().put("href", "/v1/queues"), queues.getJsonObject("self"));
    assertEquals(new JsonObject().put("href", "/v1/queues/" + queueId), queues.getJsonObject("linked"));

    String listenerHref = "/v1/queues/" + queueId + "/listeners/" + listenerId;
    JsonObject ofQueue = admin.get("/v1/queues/" + queueId + "/listeners", root).bodyAsJsonObject();
    assertEquals(new JsonObject()
        .put("self", new JsonObject().put("href", "/v1/queues/" + queueId + "/listeners"))
        .put("linked-listener", new JsonObject().put("href", listenerHref)), ofQueue.getJsonObject("_links"));
    JsonObject all = admin.get("/v1/listeners", root).bodyAsJsonObject().getJsonObject("_links");
    assertEquals(new JsonObject().put("href", "/v1/listeners"), all.getJsonObject("self"));
    assertEquals(new JsonObject().put("href", listenerHref), all.getJsonObject("linked-listener"));

    // Names are unique per queue only: a second listener of the same name elsewhere is linked by its id.
    String otherQueue = admin.discueQueue(root, "linked-2");
    String twin = createListener(otherQueue, "linked-listener");
    assertEquals(new JsonObject().put("href", "/v1/queues/" + otherQueue + "/listeners/" + twin),
        admin.get("/v1/listeners", root).bodyAsJsonObject().getJsonObject("_links").getJsonObject(twin));

    assertEquals(new JsonObject().put("self", new JsonObject().put("href", "/v1/api_keys")),
        admin.get("/v1/api_keys", root).bodyAsJsonObject().getJsonObject("_links"));
    assertEquals(new JsonObject().put("self", new JsonObject().put("href", "/v1/api_clients")),
        admin.get("/v1/api_clients", root).bodyAsJsonObject().getJsonObject("_links"));
  }

  @Test
  void theEventsFilterNarrowsToDiscuesGroups() throws Exception {
    String queueId = admin.discueQueue(root, "filtered");
    createListener(queueId, "filtered-listener");
    await().atMost(Duration.ofSeconds(5)).until(() -> types("").contains("listener.created"));

    List<String> listeners = types("&events=listeners");
    assertFalse(listeners.isEmpty());
    assertTrue(listeners.stream().allMatch(type -> type.startsWith("listener.")), listeners.toString());
    List<String> queues = types("&events=queues");
    assertTrue(queues.contains("queue.created"), queues.toString());
    assertTrue(queues.stream().allMatch(type -> type.startsWith("queue.") || type.startsWith("consumer.")),
        queues.toString());
    List<String> both = types("&events=queues,listeners");
    assertTrue(both.contains("queue.created") && both.contains("listener.created"), both.toString());
    assertEquals(types(""), types("&events=all"));
    assertEquals(List.of(), types("&events=api_keys"), "Ferry raises no api-key events");

    JsonObject page = admin.get("/v1/events?events=queues,listeners&limit=1", root).bodyAsJsonObject();
    assertEquals("/v1/events?events=queues%2Clisteners&limit=1",
        page.getJsonObject("_links").getJsonObject("self").getString("href"));
    assertTrue(page.getJsonObject("_links").getJsonObject("next").getString("href")
        .startsWith("/v1/events?events=queues%2Clisteners&startAfterId="));

    assertExactError(admin.get("/v1/events?events=channels", root), DISCUE, FerryException.invalidField("events",
        "must be all, queues, listeners, messages or api_keys (several separated by commas)"));
  }

  private List<String> types(String filter) throws Exception {
    HttpResponse<Buffer> response = admin.get("/v1/events?limit=100" + filter, root);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("events").stream()
        .map(event -> ((JsonObject) event).getString("type")).toList();
  }

  @Test
  void apiKeysTakeAndShowDiscuesShapesWithFerrysScopesAlongside() throws Exception {
    admin.discueQueue(root, "orders");
    JsonObject discueScopes = new JsonObject()
        .put("queues", new JsonObject().put("access", "read").put("targets", new JsonArray().add("orders")))
        .put("messages", new JsonObject().put("access", "write"));
    HttpResponse<Buffer> created = admin.post("/v1/api_keys", root, new JsonObject().put("alias", "terraform")
        .put("status", "enabled").put("scopes", discueScopes));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject key = created.bodyAsJsonObject().getJsonObject("api_key");
    String secret = key.getString("key");
    assertTrue(secret.startsWith("fry_"), "create answers the key");
    JsonObject expectedDiscue = new JsonObject()
        .put("queues", new JsonObject().put("access", "read").put("targets", new JsonArray().add("orders")))
        .put("messages", new JsonObject().put("access", "write").put("targets", new JsonArray().add("*")));
    JsonArray expectedFerry = new JsonArray()
        .add(ApiKeyRoutesTest.scope("queues", List.of("read"), List.of("orders")))
        .add(ApiKeyRoutesTest.scope("messages", List.of("read", "write"), List.of("*")));
    assertEquals(new JsonObject().put("id", key.getString("id")).put("alias", "terraform").put("name", "terraform")
        .put("status", "enabled").put("scopes", expectedDiscue).put("ferry_scopes", expectedFerry)
        .put("key", secret), key);

    JsonObject fetched = admin.get("/v1/api_keys/" + key.getString("id"), root).bodyAsJsonObject()
        .getJsonObject("api_key");
    JsonObject withoutKey = key.copy();
    withoutKey.remove("key");
    assertEquals(withoutKey, fetched, "the key itself only in the creation answer");

    // The grants are the ones written: reading the named queue, not writing queues.
    assertEquals(200, admin.get("/v1/queues", secret).statusCode());
    assertEquals(403, admin.post("/v1/queues", secret, new JsonObject().put("name", "nope")).statusCode());

    // Ferry's array form takes discue's access string too; write without read has no discue form.
    HttpResponse<Buffer> mixed = admin.post("/v1/api_keys", root, new JsonObject().put("alias", "mixed")
        .put("scopes", new JsonArray()
            .add(new JsonObject().put("resource", "events").put("access", "read").put("targets",
                new JsonArray().add("*")))
            .add(ApiKeyRoutesTest.scope("listeners", List.of("write"), List.of("*")))));
    assertEquals(200, mixed.statusCode(), mixed.bodyAsString());
    JsonObject mixedKey = mixed.bodyAsJsonObject().getJsonObject("api_key");
    assertEquals(new JsonObject().put("events", new JsonObject().put("access", "read")
        .put("targets", new JsonArray().add("*"))), mixedKey.getJsonObject("scopes"));
    assertEquals(2, mixedKey.getJsonArray("ferry_scopes").size());
  }

  @Test
  void badDiscueScopesAreRefusedNamingTheFieldAndCreateNothing() throws Exception {
    int before = admin.get("/v1/api_keys", root).bodyAsJsonObject().getJsonArray("api_keys").size();
    assertExactError(admin.post("/v1/api_keys", root, new JsonObject().put("alias", "bad")
            .put("scopes", new JsonObject().put("queues", new JsonObject().put("access", "admin")))), DISCUE,
        FerryException.invalidField("scopes.queues.access", "must be \"read\" or \"write\""));
    assertExactError(admin.post("/v1/api_keys", root, new JsonObject().put("alias", "bad")
            .put("scopes", new JsonObject().put("channels", new JsonObject()))), DISCUE,
        FerryException.invalidField("scopes.channels.resource",
            "must be one of queues, messages, listeners, api_keys, events, sonya or *"));
    assertExactError(admin.post("/v1/api_keys", root, new JsonObject().put("alias", "bad")
            .put("scopes", new JsonObject().put("queues", "read"))), DISCUE,
        FerryException.invalidField("scopes.queues", "must be an object {access, targets}"));
    assertExactError(admin.post("/v1/api_keys", root, new JsonObject()), DISCUE,
        FerryException.invalidField("name", "is required"));
    assertEquals(before, admin.get("/v1/api_keys", root).bodyAsJsonObject().getJsonArray("api_keys").size());
  }
}
