package io.ferry.admin;

import static io.ferry.admin.DiscueListenerRoutesTest.listenerBody;
import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.error.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listener URLs that reach internal addresses are refused at creation and on change, unless allow-listed. */
class WebhookSsrfTest {

  @TempDir
  Path dataDir;

  // Each refused URL and a word its explanation must contain.
  private static Map<String, String> refused() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("http://127.0.0.1/", "loopback");
    cases.put("http://localhost/", "loopback");
    cases.put("http://2130706433/", "loopback");
    cases.put("http://0x7f000001/", "loopback");
    cases.put("http://0177.0.0.1/", "loopback");
    cases.put("http://127.1/", "loopback");
    cases.put("http://[::1]/", "loopback");
    cases.put("http://[::ffff:127.0.0.1]/", "loopback");
    cases.put("http://10.0.0.1/", "private");
    cases.put("http://169.254.169.254/latest/meta-data", "metadata");
    cases.put("http://[fe80::1]/", "link-local");
    cases.put("http://0.0.0.0/", "unspecified");
    cases.put("http://224.0.0.1/", "multicast");
    cases.put("http://user@127.0.0.1:8080/x", "loopback");
    cases.put("http://198.18.0.1/", "benchmarking");
    cases.put("http://[2001:db8::1]/", "documentation");
    return cases;
  }

  @Test
  void refusesInternalAddressesInAnyEncoding() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of())) {
      String key = admin.bannerKey();
      String path = "/v1/queues/" + admin.discueQueue(key, "guarded") + "/listeners";
      for (Map.Entry<String, String> refused : refused().entrySet()) {
        HttpResponse<Buffer> notify = admin.post(path, key, listenerBody("l").put("notify_url", refused.getKey()));
        assertError(notify, DISCUE, ErrorCode.UNPROCESSABLE, "notify_url");
        assertError(notify, DISCUE, ErrorCode.UNPROCESSABLE, refused.getValue());
        assertError(notify, DISCUE, ErrorCode.UNPROCESSABLE, "webhooks.allow-list");
        assertError(admin.post(path, key, listenerBody("l").put("liveness_url", refused.getKey())),
            DISCUE, ErrorCode.UNPROCESSABLE, "liveness_url");
      }
      assertError(admin.post(path, key, listenerBody("l").put("notify_url", "ftp://x/")),
          DISCUE, ErrorCode.UNPROCESSABLE, "notify_url: must use http or https");
      assertError(admin.post(path, key, listenerBody("l").put("notify_url", "not a url")),
          DISCUE, ErrorCode.UNPROCESSABLE, "notify_url: is not a valid URL");
      assertEquals(0, admin.get(path, key).bodyAsJsonObject().getJsonArray("listeners").size());
    }
  }

  @Test
  void acceptsPublicLookingHostNamesWithoutResolvingThem() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of())) {
      String key = admin.bannerKey();
      String path = "/v1/queues/" + admin.discueQueue(key, "seeded") + "/listeners";
      // The seed's own example: myapp.io need not resolve on this machine; the dispatcher vets it at connect.
      HttpResponse<Buffer> created = admin.post(path, key, new JsonObject()
          .put("name", "myapp.io/deletion-request-listener")
          .put("notify_url", "https://myapp.io/deletion/listener")
          .put("liveness_url", "https://myapp.io/live"));
      assertEquals(200, created.statusCode(), created.bodyAsString());
      JsonObject listener = created.bodyAsJsonObject().getJsonObject("listener");
      assertEquals("myapp.io/deletion-request-listener", listener.getString("name"));
      assertEquals(path + "/" + listener.getString("id"),
          created.bodyAsJsonObject().getJsonObject("_links").getJsonObject("self").getString("href"));
      HttpResponse<Buffer> unresolvable = admin.post(path, key, listenerBody("other")
          .put("notify_url", "http://nonexistent.invalid/hook"));
      assertEquals(200, unresolvable.statusCode(), unresolvable.bodyAsString());
      assertEquals(2, admin.get(path, key).bodyAsJsonObject().getJsonArray("listeners").size());
    }
  }

  @Test
  void allowListOpensChosenRanges() throws Exception {
    try (AdminTestNode admin = AdminTestNode.start(dataDir, Map.of("webhooks.allow-list", "127.0.0.0/8"))) {
      String key = admin.bannerKey();
      String path = "/v1/queues/" + admin.discueQueue(key, "local") + "/listeners";
      HttpResponse<Buffer> created = admin.post(path, key, listenerBody("local")
          .put("notify_url", "http://127.0.0.1:9/").put("liveness_url", "http://127.0.0.1:9/live"));
      assertEquals(200, created.statusCode(), created.bodyAsString());
      assertError(admin.post(path, key, listenerBody("private").put("notify_url", "http://10.0.0.1/")),
          DISCUE, ErrorCode.UNPROCESSABLE, "private");

      String listenerPath = path + "/" + created.bodyAsJsonObject().getJsonObject("listener").getString("id");
      HttpResponse<Buffer> changed = admin.call(io.vertx.core.http.HttpMethod.PUT, listenerPath, key,
          new JsonObject().put("notify_url", "http://2130706433:9/"));
      assertEquals(200, changed.statusCode(), changed.bodyAsString());
      assertError(admin.call(io.vertx.core.http.HttpMethod.PUT, listenerPath, key,
          new JsonObject().put("notify_url", "http://169.254.169.254/")), DISCUE, ErrorCode.UNPROCESSABLE, "metadata");

      // The dispatcher would read these authorities differently: refused however the host is allowed.
      assertError(admin.post(path, key, listenerBody("ports").put("notify_url", "http://127.0.0.2:19188:19187/")),
          DISCUE, ErrorCode.UNPROCESSABLE, "invalid host or port");
      assertError(admin.post(path, key, listenerBody("zero").put("notify_url", "http://127.0.0.2:0/")),
          DISCUE, ErrorCode.UNPROCESSABLE, "invalid port");
      assertError(admin.call(io.vertx.core.http.HttpMethod.PUT, listenerPath, key,
          new JsonObject().put("liveness_url", "http://127.0.0.2:19188:19187/")), DISCUE, ErrorCode.UNPROCESSABLE,
          "liveness_url");
    }
  }
}
