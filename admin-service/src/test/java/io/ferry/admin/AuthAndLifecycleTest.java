package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthAndLifecycleTest {

  private static final String CONFIGURED_KEY = "fry_configured-bootstrap-key-0123456789";

  @TempDir
  Path dataDir;

  @Test
  void bootstrapKeyIsShownOnceAndStateSurvivesRestart() throws Exception {
    String key;
    String account;
    String queueId;
    String listenerId;
    try (AdminTestNode first = AdminTestNode.start(dataDir, Map.of())) {
      key = first.bannerKey();
      assertNotNull(key);
      assertTrue(key.matches("fry_[A-Za-z0-9_-]{43}"), key);
      account = first.defaultAccountId();
      assertTrue(first.module.startupBanner().stream().anyMatch(line -> line.contains("shown once")));
      queueId = first.post("/accounts/" + account + "/queues", key, new JsonObject().put("queue_name", "durable"))
          .bodyAsJsonObject().getJsonObject("result").getString("queue_id");
      assertEquals(200, first.post("/accounts/" + account + "/queues/" + queueId + "/consumers", key,
          new JsonObject().put("type", "http_pull").put("dead_letter_queue", "durable-dead")).statusCode());
      listenerId = first.post("/v1/queues/" + queueId + "/listeners", key, new JsonObject().put("name", "l")
              .put("notify_url", "https://93.184.215.14/n").put("liveness_url", "https://93.184.215.14/l"))
          .bodyAsJsonObject().getJsonObject("listener").getString("id");
    }
    try (AdminTestNode second = AdminTestNode.start(dataDir, Map.of())) {
      assertNull(second.bannerKey(), "the key is never shown again");
      assertEquals(account, second.defaultAccountId());
      assertTrue(second.module.startupBanner().stream().anyMatch(line -> line.contains("stored only as a hash")));
      JsonObject queue = second.get("/client/v4/accounts/" + account + "/queues/" + queueId, key)
          .bodyAsJsonObject().getJsonObject("result");
      assertEquals("durable", queue.getString("queue_name"));
      assertEquals("durable-dead", queue.getJsonArray("consumers").getJsonObject(0).getString("dead_letter_queue"));
      assertTrue(second.get("/v1/listeners", key).bodyAsString().contains(listenerId));
      assertEquals(409, second.post("/accounts/" + account + "/queues", key,
          new JsonObject().put("queue_name", "durable")).statusCode());
    }
    // Choosing a key later replaces the generated one.
    try (AdminTestNode third = AdminTestNode.start(dataDir, Map.of("auth.bootstrap-key", CONFIGURED_KEY))) {
      assertEquals(401, third.get("/v1/queues", key).statusCode());
      assertEquals(200, third.get("/v1/queues", CONFIGURED_KEY).statusCode());
    }
  }

  @Test
  void configuredBootstrapKeyIsAccepted() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of("auth.bootstrap-key", CONFIGURED_KEY))) {
      assertNull(admin.bannerKey(), "no key is generated when one is configured");
      assertTrue(admin.module.startupBanner().stream().anyMatch(line -> line.contains("configured")));
      assertFalse(String.join("\n", admin.module.startupBanner()).contains(CONFIGURED_KEY));
      HttpResponse<Buffer> accounts = admin.get("/accounts", CONFIGURED_KEY);
      assertEquals(200, accounts.statusCode());
      assertEquals("default", accounts.bodyAsJsonObject().getJsonArray("result").getJsonObject(0).getString("name"));
      HttpResponse<Buffer> viaHeader = admin.call(io.vertx.core.http.HttpMethod.GET, "/v1/queues", null, null);
      assertEquals(401, viaHeader.statusCode());
    }
    // Still the only key after a restart with the same configuration.
    String ordinaryKey;
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of("auth.bootstrap-key", CONFIGURED_KEY))) {
      assertNull(admin.bannerKey());
      assertEquals(200, admin.get("/v1/queues", CONFIGURED_KEY).statusCode());
      assertFalse(String.join("\n", admin.module.startupBanner()).contains("revoked"));
      ordinaryKey = admin.post("/v1/api_keys", CONFIGURED_KEY, new JsonObject().put("name", "ordinary"))
          .bodyAsJsonObject().getJsonObject("api_key").getString("key");
    }
    // A changed key (the old one leaked, say) replaces the old one: it does not join it.
    String replacement = CONFIGURED_KEY + "-rotated";
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of("auth.bootstrap-key", replacement))) {
      assertTrue(admin.module.startupBanner().stream().anyMatch(line -> line.contains("1 earlier root key(s) revoked")),
          String.join("\n", admin.module.startupBanner()));
      assertEquals(401, admin.get("/v1/queues", CONFIGURED_KEY).statusCode());
      assertEquals(200, admin.get("/accounts", replacement).statusCode());
      assertEquals(200, admin.get("/v1/queues", ordinaryKey).statusCode(), "other keys are not root keys");
    }
  }

  @Test
  void openModeActsAsTheDefaultRoot() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of("auth.mode", "open"))) {
      assertTrue(admin.module.startupBanner().stream().anyMatch(line -> line.contains("OPEN")));
      HttpResponse<Buffer> noKey = admin.post("/v1/queues", null, new JsonObject().put("name", "open-q"));
      assertEquals(200, noKey.statusCode(), noKey.bodyAsString());
      HttpResponse<Buffer> anyKey = admin.get("/accounts/" + admin.defaultAccountId() + "/queues", "whatever");
      assertEquals(200, anyKey.statusCode());
      assertTrue(anyKey.bodyAsString().contains("open-q"));
    }
  }

  @Test
  void repeatedFailuresAreThrottledOverHttp() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of())) {
      for (int i = 0; i < 21; i++) {
        assertEquals(401, admin.get("/v1/queues", "fry_guess").statusCode());
        assertEquals(401, admin.get("/v1/queues", null).statusCode());
      }
      HttpResponse<Buffer> throttled = admin.get("/v1/queues", "fry_guess");
      assertEquals(429, throttled.statusCode());
      assertEquals("Too Many Requests", throttled.bodyAsJsonObject().getString("title"));
      assertEquals(429, admin.get("/v1/queues", null).statusCode());
      HttpResponse<Buffer> cloudflare = admin.get("/accounts", "fry_guess");
      assertEquals(429, cloudflare.statusCode());
      assertEquals(11009, cloudflare.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
      // Everyone else at that address, the root key included, is unaffected.
      assertEquals(200, admin.get("/accounts", admin.bannerKey()).statusCode());
      assertEquals(401, admin.get("/v1/queues", "fry_another-guess").statusCode());
    }
  }

  @Test
  void forwardedAddressesCountOnlyFromTrustedProxies() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of("auth.trusted-proxies", "127.0.9.0/24"))) {
      for (int i = 0; i < 21; i++) {
        assertEquals(401, admin.send("127.0.9.1", "fry_guess", "X-Forwarded-For", "203.0.113.5").statusCode());
      }
      assertEquals(429, admin.send("127.0.9.1", "fry_guess", "X-Forwarded-For", "203.0.113.5").statusCode());
      assertEquals(429, admin.send("127.0.9.2", "fry_guess", "Forwarded", "for=203.0.113.5;proto=https")
          .statusCode(), "another trusted proxy naming the same client");
      assertEquals(401, admin.send("127.0.9.1", "fry_guess", "X-Forwarded-For", "203.0.113.6").statusCode(),
          "another client behind the same proxy");
      assertEquals(429, admin.send("127.0.9.1", "fry_guess", "X-Forwarded-For", "203.0.113.5, 127.0.9.7")
          .statusCode(), "a trusted hop in the chain is skipped");

      // An untrusted peer's headers are ignored: it cannot spread its guesses over made-up clients.
      for (int i = 0; i < 21; i++) {
        assertEquals(401, admin.send("127.0.8.1", "fry_guess", "X-Forwarded-For", "198.51.100." + i).statusCode());
      }
      assertEquals(429, admin.send("127.0.8.1", "fry_guess", "X-Forwarded-For", "198.51.100.99").statusCode());
    }
  }

  @Test
  void reportsReadinessAndDocumentsItsRoutes() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of())) {
      HttpResponse<Buffer> ready = admin.get("/health/ready", null);
      assertEquals(200, ready.statusCode(), ready.bodyAsString());
      assertTrue(ready.bodyAsString().contains("admin-store"));
      String openApi = admin.get("/openapi.yaml", null).bodyAsString();
      // Cloudflare routes are listed once, under /accounts, with /client/v4 as their other server.
      assertTrue(openApi.contains("\"url\": \"/client/v4\""), openApi);
      for (String path : new String[] {"/accounts/{account_id}/queues",
          "/v1/queues/{queue_id}/listeners", "/v1/listeners", "/queue/create/{queue}", "/v1/api_keys/{key_id}",
          "/v1/api_clients/{client_id}", "/accounts/{account_id}/queues/{queue_id}/purge"}) {
        assertTrue(openApi.contains(path), path);
      }
    }
  }
}
