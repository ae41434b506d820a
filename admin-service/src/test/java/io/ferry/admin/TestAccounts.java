package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** Accounts and scoped keys made through the discue routes. */
final class TestAccounts {

  /** An account and its first (root) key. */
  record Account(String id, String key) {
  }

  private TestAccounts() {
  }

  static Account create(AdminTestNode admin, String rootKey, String name) throws Exception {
    HttpResponse<Buffer> created = admin.post("/v1/api_clients", rootKey, new JsonObject().put("name", name));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject body = created.bodyAsJsonObject();
    return new Account(body.getJsonObject("api_client").getString("id"), body.getString("api_key"));
  }

  /** A key of the caller's account with one grant: {@code resource}, {@code access}, {@code targets}. */
  static String scopedKey(AdminTestNode admin, String key, String resource, String access, String... targets)
      throws Exception {
    JsonObject scope = new JsonObject().put("resource", resource).put("access", new JsonArray().add(access))
        .put("targets", new JsonArray(java.util.List.of((Object[]) targets)));
    HttpResponse<Buffer> created = admin.post("/v1/api_keys", key, new JsonObject()
        .put("name", resource + "-" + access + "-" + System.nanoTime())
        .put("scopes", new JsonArray().add(scope)));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("api_key").getString("key");
  }

}
