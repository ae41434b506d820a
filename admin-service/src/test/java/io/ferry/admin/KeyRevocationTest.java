package io.ferry.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key that was just accepted, and so sits in the auth cache for its 5 s, is refused within 1 s of being
 * deleted, disabled or narrowed through the API: the revocation reaches the cache as an event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRevocationTest {

  private static final Duration BOUND = Duration.ofSeconds(1);

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String root = admin.rootKey();

  @Test
  void aDeletedKeyIsRefusedWithinTheBound() throws Exception {
    JsonObject key = createKey("deleted-soon", queuesAndKeys());
    assertEquals(200, admin.get("/v1/queues", key.getString("key")).statusCode());

    assertEquals(200, admin.call(HttpMethod.DELETE, "/v1/api_keys/" + key.getString("id"), root, null).statusCode());

    await().atMost(BOUND).untilAsserted(() ->
        assertEquals(401, admin.get("/v1/queues", key.getString("key")).statusCode()));
  }

  @Test
  void aDisabledKeyIsRefusedWithinTheBound() throws Exception {
    JsonObject key = createKey("disabled-soon", queuesAndKeys());
    assertEquals(200, admin.get("/v1/queues", key.getString("key")).statusCode());

    assertEquals(200, admin.call(HttpMethod.PUT, "/v1/api_keys/" + key.getString("id"), root,
        new JsonObject().put("status", "disabled")).statusCode());

    await().atMost(BOUND).untilAsserted(() -> {
      HttpResponse<Buffer> refused = admin.get("/v1/queues", key.getString("key"));
      assertEquals(401, refused.statusCode());
      assertEquals("the API key is disabled", refused.bodyAsJsonObject().getString("detail"));
    });
  }

  @Test
  void aKeyLosesARemovedScopeWithinTheBound() throws Exception {
    JsonObject key = createKey("narrowed-soon", queuesAndKeys());
    assertEquals(200, admin.get("/v1/api_keys", key.getString("key")).statusCode());

    assertEquals(200, admin.call(HttpMethod.PUT, "/v1/api_keys/" + key.getString("id"), root,
        new JsonObject().put("scopes", new JsonArray()
            .add(ApiKeyRoutesTest.scope("queues", List.of("read"), List.of("*"))))).statusCode());

    await().atMost(BOUND).untilAsserted(() ->
        assertEquals(403, admin.get("/v1/api_keys", key.getString("key")).statusCode()));
    assertEquals(200, admin.get("/v1/queues", key.getString("key")).statusCode(), "the scope it kept still works");
  }

  private static JsonArray queuesAndKeys() {
    return new JsonArray()
        .add(ApiKeyRoutesTest.scope("queues", List.of("read"), List.of("*")))
        .add(ApiKeyRoutesTest.scope("api_keys", List.of("read"), List.of("*")));
  }

  private JsonObject createKey(String name, JsonArray scopes) throws Exception {
    HttpResponse<Buffer> created = admin.post("/v1/api_keys", root,
        new JsonObject().put("name", name).put("scopes", scopes));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("api_key");
  }
}
