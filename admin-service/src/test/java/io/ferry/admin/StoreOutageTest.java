package io.ferry.admin;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With its store unable to serve (every call failing UNAVAILABLE, as a PostgreSQL store's do while the
 * database is away), admin answers 503 with Retry-After in each dialect's format, never 500, and a credential
 * it cannot check is 503, never 401; readiness reports the store down.
 */
class StoreOutageTest {

  @TempDir
  Path dataDir;

  @Test
  void routesAndAuthenticationAnswer503AndReadinessIsDownWhileTheStoreCannotServe() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of())) {
      String key = admin.rootKey();
      String queues = admin.cloudflareAccount() + "/queues";
      assertEquals(200, admin.get(queues, key).statusCode(), "authenticates the key, which is then cached");

      Futures.await(admin.module.store().close(), Duration.ofSeconds(10));

      // Authenticated from the cache: the routes themselves meet the store.
      assertError(admin.get(queues, key), Dialect.CLOUDFLARE, ErrorCode.UNAVAILABLE);
      assertError(admin.post("/v1/queues", key, new JsonObject().put("name", "during")), Dialect.DISCUE,
          ErrorCode.UNAVAILABLE);
      assertError(admin.post("/queue/create/during", key, null), Dialect.SONYA, ErrorCode.UNAVAILABLE);

      // A credential that must be looked up cannot be judged: unavailable, not refused.
      Authentication.of(admin.node.vertx()).forgetAll();
      assertError(admin.get(queues, key), Dialect.CLOUDFLARE, ErrorCode.UNAVAILABLE);
      assertError(admin.get("/v1/queues", "not-a-key-of-anyone"), Dialect.DISCUE, ErrorCode.UNAVAILABLE);

      HttpResponse<Buffer> ready = admin.get("/health/ready", null);
      assertEquals(503, ready.statusCode(), ready.bodyAsString());
      assertEquals("DOWN", check(ready.bodyAsJsonObject(), "admin-store"), ready.bodyAsString());
    }
  }

  private static String check(JsonObject ready, String id) {
    for (Object check : ready.getJsonArray("checks", new JsonArray())) {
      if (id.equals(((JsonObject) check).getString("id"))) {
        return ((JsonObject) check).getString("status");
      }
    }
    throw new AssertionError("no " + id + " check in " + ready.encode());
  }
}
