package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.model.ApiKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** discue's /v1/api_keys and /v1/api_clients over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyRoutesTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String root = admin.rootKey();

  @Test
  void keyIsShownOnlyAtCreationAndListedWithoutSecrets() throws Exception {
    HttpResponse<Buffer> created = admin.post("/v1/api_keys", root, new JsonObject().put("name", "ci")
        .put("scopes", new JsonArray().add(scope("queues", List.of("read", "write"), List.of("*")))
            .add(scope("messages", List.of("write"), List.of("orders", "invoices")))));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject key = created.bodyAsJsonObject().getJsonObject("api_key");
    String secret = key.getString("key");
    assertTrue(secret.matches("fry_[A-Za-z0-9_-]{43}"), secret);
    assertEquals("enabled", key.getString("status"));
    assertEquals(new JsonArray().add(scope("queues", List.of("read", "write"), List.of("*")))
        .add(scope("messages", List.of("write"), List.of("orders", "invoices"))), key.getJsonArray("ferry_scopes"));
    assertEquals("/v1/api_keys/" + key.getString("id"),
        created.bodyAsJsonObject().getJsonObject("_links").getJsonObject("self").getString("href"));

    String listed = admin.get("/v1/api_keys", root).bodyAsString();
    assertTrue(listed.contains(key.getString("id")));
    assertFalse(listed.contains(secret), "the list never shows a key");
    assertFalse(listed.contains("Hash") || listed.contains("hash"), listed);
    JsonObject fetched = admin.get("/v1/api_keys/" + key.getString("id"), root).bodyAsJsonObject()
        .getJsonObject("api_key");
    assertFalse(fetched.containsKey("key"));
    assertEquals(key.getJsonArray("ferry_scopes"), fetched.getJsonArray("ferry_scopes"));

    // The key works, within its scopes.
    assertEquals(200, admin.get("/v1/queues", secret).statusCode());
    assertEquals(403, admin.post("/v1/api_keys", secret, new JsonObject().put("name", "x")).statusCode());
  }

  @Test
  void withoutScopesAKeyGetsItsCreatorsAndStartsEnabled() throws Exception {
    JsonObject key = createKey(root, new JsonObject().put("name", "like-root"));
    assertEquals(new JsonArray().add(scope("*", List.of("read", "write"), List.of("*"))), key.getJsonArray("ferry_scopes"));
    String narrow = createKey(root, new JsonObject().put("name", "narrow").put("scopes", new JsonArray()
        .add(scope("api_keys", List.of("read", "write"), List.of("*")))
        .add(scope("queues", List.of("read"), List.of("orders"))))).getString("key");
    JsonObject child = createKey(narrow, new JsonObject().put("name", "child"));
    assertEquals(new JsonArray().add(scope("api_keys", List.of("read", "write"), List.of("*")))
        .add(scope("queues", List.of("read"), List.of("orders"))), child.getJsonArray("ferry_scopes"));
  }

  @Test
  void disabledKeysAreRefusedUntilEnabledAgain() throws Exception {
    JsonObject key = createKey(root, new JsonObject().put("name", "paused").put("status", "disabled"));
    HttpResponse<Buffer> refused = admin.get("/v1/queues", key.getString("key"));
    assertEquals(401, refused.statusCode());
    assertEquals("the API key is disabled", refused.bodyAsJsonObject().getString("detail"));
    HttpResponse<Buffer> enabled = admin.call(HttpMethod.PUT, "/v1/api_keys/" + key.getString("id"), root,
        new JsonObject().put("status", "enabled").put("name", "resumed"));
    assertEquals(200, enabled.statusCode(), enabled.bodyAsString());
    assertEquals("resumed", enabled.bodyAsJsonObject().getJsonObject("api_key").getString("name"));
    assertEquals("enabled", enabled.bodyAsJsonObject().getJsonObject("api_key").getString("status"));
    assertEquals(200, admin.get("/v1/queues", key.getString("key")).statusCode());
  }

  @Test
  void updatesScopesAndDeletes() throws Exception {
    JsonObject key = createKey(root, new JsonObject().put("name", "to-change"));
    String path = "/v1/api_keys/" + key.getString("id");
    JsonArray narrower = new JsonArray().add(scope("events", List.of("read"), List.of("*")));
    HttpResponse<Buffer> updated = admin.call(HttpMethod.PUT, path, root, new JsonObject().put("scopes", narrower));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    assertEquals(narrower, admin.get(path, root).bodyAsJsonObject().getJsonObject("api_key").getJsonArray("ferry_scopes"));
    assertEquals("to-change", admin.get(path, root).bodyAsJsonObject().getJsonObject("api_key").getString("name"));
    assertEquals(403, admin.get("/v1/queues", key.getString("key")).statusCode(), "the new scopes apply");

    HttpResponse<Buffer> deleted = admin.call(HttpMethod.DELETE, path, root, null);
    assertEquals(200, deleted.statusCode());
    assertEquals(key.getString("id"), deleted.bodyAsJsonObject().getJsonObject("api_key").getString("id"));
    assertEquals(404, admin.get(path, root).statusCode());
    assertEquals(404, admin.call(HttpMethod.DELETE, path, root, null).statusCode());
    assertEquals(404, admin.call(HttpMethod.PUT, path, root, new JsonObject().put("name", "x")).statusCode());
    JsonObject neverUsed = createKey(root, new JsonObject().put("name", "revoked-before-use"));
    admin.call(HttpMethod.DELETE, "/v1/api_keys/" + neverUsed.getString("id"), root, null);
    assertEquals(401, admin.get("/v1/queues", neverUsed.getString("key")).statusCode());
  }

  @Test
  void invalidRequestsNameTheFieldAndChangeNothing() throws Exception {
    int before = keyCount();
    assertInvalid(new JsonObject(), "name");
    assertInvalid(new JsonObject().put("name", 7), "name");
    assertInvalid(new JsonObject().put("name", " "), "name");
    assertInvalid(new JsonObject().put("name", "k").put("status", "paused"), "status");
    assertInvalid(new JsonObject().put("name", "k").put("scopes", "queues:read:*"), "scopes");
    assertInvalid(new JsonObject().put("name", "k").put("scopes", new JsonArray().add(5)), "scopes[0]");
    assertInvalid(new JsonObject().put("name", "k").put("scopes", new JsonArray().add("nonsense:read")),
        "scopes[0]");
    JsonObject good = scope("queues", List.of("read"), List.of("*"));
    assertInvalid(new JsonObject().put("name", "k").put("scopes", new JsonArray().add(good)
        .add(scope("money", List.of("read"), List.of("*")))), "scopes[1].resource");
    assertInvalid(new JsonObject().put("name", "k").put("scopes", new JsonArray().add(good)
        .add(scope("queues", List.of("admin"), List.of("*")))), "scopes[1].access[0]");
    assertInvalid(new JsonObject().put("name", "k").put("scopes", new JsonArray()
        .add(scope("queues", List.of(), List.of("*")))), "scopes[0].access");
    assertInvalid(new JsonObject().put("name", "k").put("scopes", new JsonArray()
        .add(good.copy().put("access", "own"))), "scopes[0].access");
    assertInvalid(new JsonObject().put("name", "k").put("scopes", new JsonArray()
        .add(scope("queues", List.of("read"), List.of()))), "scopes[0].targets");
    assertInvalid(new JsonObject().put("name", "k").put("scopes", new JsonArray()
        .add(scope("queues", List.of("read"), List.of("ok", "not ok!")))), "scopes[0].targets[1]");
    HttpResponse<Buffer> notJson = admin.post("/v1/api_keys", root, "{nope");
    assertEquals(400, notJson.statusCode());
    assertEquals(before, keyCount());

    HttpResponse<Buffer> badId = admin.get("/v1/api_keys/not-an-id", root);
    assertEquals(404, badId.statusCode());
    assertEquals("api key not-an-id not found", badId.bodyAsJsonObject().getString("detail"));
    String id = createKey(root, new JsonObject().put("name", "stays")).getString("id");
    HttpResponse<Buffer> badUpdate = admin.call(HttpMethod.PUT, "/v1/api_keys/" + id, root,
        new JsonObject().put("name", "renamed").put("status", "off"));
    assertEquals(400, badUpdate.statusCode());
    assertEquals("stays", admin.get("/v1/api_keys/" + id, root).bodyAsJsonObject().getJsonObject("api_key")
        .getString("name"));
  }

  @Test
  void aKeyNeverGrantsMoreThanItsCreatorHolds() throws Exception {
    String manager = createKey(root, new JsonObject().put("name", "manager").put("scopes", new JsonArray()
        .add(scope("api_keys", List.of("read", "write"), List.of("*")))
        .add(scope("queues", List.of("read", "write"), List.of("*"))))).getString("key");
    int before = keyCount();
    assertEquals(403, admin.post("/v1/api_keys", manager, new JsonObject().put("name", "more")
        .put("scopes", new JsonArray().add(scope("messages", List.of("write"), List.of("*"))))).statusCode());
    assertEquals(403, admin.post("/v1/api_keys", manager, new JsonObject().put("name", "all")
        .put("scopes", new JsonArray().add("*"))).statusCode());
    assertEquals(before, keyCount());
    JsonObject subset = createKey(manager, new JsonObject().put("name", "subset")
        .put("scopes", new JsonArray().add(scope("queues", List.of("read"), List.of("orders")))));
    String subsetPath = "/v1/api_keys/" + subset.getString("id");
    assertEquals(403, admin.call(HttpMethod.PUT, subsetPath, manager, new JsonObject().put("scopes",
        new JsonArray().add(scope("listeners", List.of("read"), List.of("*"))))).statusCode());
    assertEquals(200, admin.call(HttpMethod.PUT, subsetPath, manager, new JsonObject().put("scopes",
        new JsonArray().add(scope("queues", List.of("write"), List.of("orders"))))).statusCode());

    String fullKeyId = createKey(root, new JsonObject().put("name", "full")).getString("id");
    assertEquals(403, admin.call(HttpMethod.PUT, "/v1/api_keys/" + fullKeyId, manager,
        new JsonObject().put("status", "disabled")).statusCode(), "cannot change a key with more rights");
    assertEquals(403, admin.call(HttpMethod.DELETE, "/v1/api_keys/" + fullKeyId, manager, null).statusCode());
    String rootId = keyIdNamed("bootstrap");
    assertEquals(403, admin.call(HttpMethod.DELETE, "/v1/api_keys/" + rootId, manager, null).statusCode());
    assertEquals(400, admin.call(HttpMethod.PUT, "/v1/api_keys/" + rootId, root, new JsonObject()
        .put("scopes", new JsonArray().add(scope("queues", List.of("read"), List.of("*"))))).statusCode());
  }

  @Test
  void apiClientsAreAccountsThatOnlyARootKeyCreates() throws Exception {
    HttpResponse<Buffer> created = admin.post("/v1/api_clients", root, new JsonObject().put("name", "tenant-b"));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject client = created.bodyAsJsonObject().getJsonObject("api_client");
    String accountB = client.getString("id");
    String keyB = created.bodyAsJsonObject().getString("api_key");
    assertEquals("tenant-b", client.getString("name"));
    assertTrue(keyB.startsWith("fry_"));
    assertEquals("/v1/api_clients/" + accountB,
        created.bodyAsJsonObject().getJsonObject("_links").getJsonObject("self").getString("href"));

    HttpResponse<Buffer> duplicate = admin.post("/v1/api_clients", root, new JsonObject().put("name", "tenant-b"));
    assertEquals(422, duplicate.statusCode());
    assertEquals("Unprocessable Entity", duplicate.bodyAsJsonObject().getString("title"));
    assertEquals(400, admin.post("/v1/api_clients", root, new JsonObject()).statusCode());
    assertEquals(400, admin.post("/v1/api_clients", root, new JsonObject().put("name", List.of())).statusCode());
    assertEquals(403, admin.post("/v1/api_clients", keyB, new JsonObject().put("name", "tenant-c")).statusCode(),
        "the first key of an account has every right within it, but is not root");

    // B's key acts in B's account only and sees nothing of the default account.
    String defaultAccount = admin.defaultAccountId();
    assertEquals(List.of(accountB), ids(admin.get("/v1/api_clients", keyB).bodyAsJsonObject()
        .getJsonArray("api_clients")));
    assertEquals(404, admin.get("/v1/api_clients/" + defaultAccount, keyB).statusCode());
    assertEquals(200, admin.get("/v1/api_clients/" + accountB, keyB).statusCode());
    assertEquals(List.of(accountB), ids(admin.get("/accounts", keyB).bodyAsJsonObject().getJsonArray("result")));
    assertEquals(1, admin.get("/v1/api_keys", keyB).bodyAsJsonObject().getJsonArray("api_keys").size());
    String rootKeyId = keyIdNamed("bootstrap");
    assertEquals(404, admin.get("/v1/api_keys/" + rootKeyId, keyB).statusCode());
    assertEquals(404, admin.call(HttpMethod.PUT, "/v1/api_keys/" + rootKeyId, keyB,
        new JsonObject().put("status", "disabled")).statusCode());
    assertEquals(404, admin.call(HttpMethod.DELETE, "/v1/api_keys/" + rootKeyId, keyB, null).statusCode());
    assertEquals(200, admin.post("/v1/queues", keyB, new JsonObject().put("name", "b-queue")).statusCode());

    // The root key sees every account, in both dialects.
    List<String> all = ids(admin.get("/v1/api_clients", root).bodyAsJsonObject().getJsonArray("api_clients"));
    assertTrue(all.containsAll(List.of(defaultAccount, accountB)), all.toString());
    assertEquals(all, ids(admin.get("/accounts", root).bodyAsJsonObject().getJsonArray("result")));
    assertEquals("tenant-b", admin.get("/v1/api_clients/" + accountB, root).bodyAsJsonObject()
        .getJsonObject("api_client").getString("name"));
    assertEquals(404, admin.get("/v1/api_clients/" + io.ferry.contracts.model.Ids.newId(), root).statusCode());
  }

  @Test
  void keyStatusAndScopesSurviveARestart(@TempDir Path dir) throws Exception {
    Map<String, String> settings = Map.of("auth.bootstrap-key", "fry_configured-root-key-for-restart-test");
    String rootKey = settings.get("auth.bootstrap-key");
    JsonObject key;
    try (AdminTestNode first = AdminTestNode.start(dir, settings)) {
      key = createKey(first, rootKey, new JsonObject().put("name", "kept").put("status", "disabled")
          .put("scopes", new JsonArray().add(scope("queues", List.of("read"), List.of("orders")))));
    }
    try (AdminTestNode second = AdminTestNode.start(dir, settings)) {
      HttpResponse<Buffer> refused = second.get("/v1/queues", key.getString("key"));
      assertEquals("the API key is disabled", refused.bodyAsJsonObject().getString("detail"));
      JsonObject kept = second.get("/v1/api_keys/" + key.getString("id"), rootKey).bodyAsJsonObject()
          .getJsonObject("api_key");
      key.remove("key");
      assertEquals(key, kept);
    }
  }

  @Test
  void recordsWrittenBeforeStatusAndScopesLoadAsEnabledWithEverything() {
    ApiKey old = ApiKey.fromJson(new JsonObject().put("id", "k").put("accountId", "a").put("name", "n")
        .put("keyHash", "h").put("root", false).put("createdAtMs", 1L));
    assertTrue(old.enabled());
    assertEquals(List.of("*"), old.scopes());
    ApiKey current = old.with("n", ApiKey.DISABLED, List.of("queues:read:*"));
    assertEquals(current, ApiKey.fromJson(current.toJson()));
  }

  private void assertInvalid(JsonObject body, String field) throws Exception {
    HttpResponse<Buffer> response = admin.post("/v1/api_keys", root, body);
    assertEquals(400, response.statusCode(), body.encode() + " → " + response.bodyAsString());
    String detail = response.bodyAsJsonObject().getString("detail");
    assertTrue(detail.startsWith(field + ":"), field + " expected in: " + detail);
  }

  private JsonObject createKey(String creator, JsonObject body) throws Exception {
    return createKey(admin, creator, body);
  }

  private static JsonObject createKey(AdminTestNode node, String creator, JsonObject body) throws Exception {
    HttpResponse<Buffer> created = node.post("/v1/api_keys", creator, body);
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("api_key");
  }

  private int keyCount() throws Exception {
    return admin.get("/v1/api_keys", root).bodyAsJsonObject().getJsonArray("api_keys").size();
  }

  private String keyIdNamed(String name) throws Exception {
    JsonArray keys = admin.get("/v1/api_keys", root).bodyAsJsonObject().getJsonArray("api_keys");
    for (int i = 0; i < keys.size(); i++) {
      if (keys.getJsonObject(i).getString("name").equals(name)) {
        return keys.getJsonObject(i).getString("id");
      }
    }
    throw new AssertionError("no key named " + name);
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  static JsonObject scope(String resource, List<String> access, List<String> targets) {
    return new JsonObject().put("resource", resource).put("access", new JsonArray(access))
        .put("targets", new JsonArray(targets));
  }
}
