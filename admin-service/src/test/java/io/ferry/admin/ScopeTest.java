package io.ferry.admin;

import static io.ferry.admin.ApiKeyRoutesTest.scope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keys with scopes on the admin routes: what each grant opens, per queue, and what it does not. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopeTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private String root;
  private String account;
  private String cf;
  private String orders;
  private String other;
  private String foreignQueue;

  @BeforeAll
  void start() throws Exception {
    root = admin.rootKey();
    account = admin.accountId();
    cf = "/client/v4/accounts/" + account + "/queues";
    orders = queueId(admin.post(cf, root, new JsonObject().put("queue_name", "orders")));
    other = queueId(admin.post(cf, root, new JsonObject().put("queue_name", "other")));
    HttpResponse<Buffer> tenant = admin.post("/v1/api_clients", root, new JsonObject().put("name", "tenant"));
    JsonObject tenantBody = tenant.bodyAsJsonObject();
    String tenantKey = tenantBody.getString("api_key");
    String tenantAccount = tenantBody.getJsonObject("api_client").getString("id");
    foreignQueue = queueId(admin.post("/accounts/" + tenantAccount + "/queues", tenantKey,
        new JsonObject().put("queue_name", "orders")));
  }

  @Test
  void aMessagesKeyOpensNoQueueAdministration() throws Exception {
    String key = key(scope("messages", List.of("write"), List.of("orders")));
    assertEquals(403, admin.get(cf, key).statusCode());
    assertEquals(403, admin.post(cf, key, new JsonObject().put("queue_name", "new")).statusCode());
    assertEquals(403, admin.get(cf + "/" + orders, key).statusCode());
    assertEquals(403, admin.call(HttpMethod.DELETE, cf + "/" + orders, key, null).statusCode());
    assertEquals(403, admin.post(cf + "/" + orders + "/purge", key,
        new JsonObject().put("delete_messages_permanently", true)).statusCode());
    assertEquals(403, admin.get(cf + "/" + orders + "/purge", key).statusCode());
    assertEquals(403, admin.post(cf + "/" + orders + "/consumers", key,
        new JsonObject().put("type", "http_pull")).statusCode());
    assertEquals(403, admin.get(cf + "/" + orders + "/consumers", key).statusCode());
    assertEquals(403, admin.get("/v1/queues", key).statusCode());
    assertEquals(403, admin.post("/v1/queues", key, new JsonObject().put("name", "new")).statusCode());
    HttpResponse<Buffer> forbidden = admin.get(cf, key);
    assertEquals(10106, forbidden.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    assertEquals(200, admin.get("/accounts", key).statusCode(), "any key may discover its account");
  }

  @Test
  void aQueuesReadKeyReadsButNeverChanges() throws Exception {
    String key = key(scope("queues", List.of("read"), List.of("*")));
    assertEquals(200, admin.get(cf, key).statusCode());
    assertEquals(200, admin.get(cf + "/" + orders, key).statusCode());
    assertEquals(200, admin.get(cf + "/" + orders + "/consumers", key).statusCode());
    assertEquals(200, admin.get(cf + "/" + orders + "/purge", key).statusCode());
    assertEquals(200, admin.get("/v1/queues", key).statusCode());
    assertEquals(403, admin.post(cf, key, new JsonObject().put("queue_name", "new")).statusCode());
    assertEquals(403, admin.post("/v1/queues", key, new JsonObject().put("name", "new")).statusCode());
    assertEquals(403, admin.call(HttpMethod.DELETE, cf + "/" + orders, key, null).statusCode());
    assertEquals(403, admin.post(cf + "/" + orders + "/consumers", key,
        new JsonObject().put("type", "http_pull")).statusCode());
    assertEquals(404, admin.get(cf + "/" + foreignQueue, key).statusCode(), "another account's queue");
    assertEquals(404, admin.get(cf + "/" + foreignQueue + "/consumers", key).statusCode());
  }

  @Test
  void aGrantForOneQueueCoversThatQueueOnly() throws Exception {
    String key = key(scope("queues", List.of("read", "write"), List.of("orders")));
    assertEquals(List.of("orders"), names(admin.get(cf, key), "result", "queue_name"));
    assertEquals(List.of("orders"), names(admin.get("/v1/queues", key), "queues", "name"));
    assertEquals(200, admin.get(cf + "/" + orders, key).statusCode());
    assertEquals(403, admin.get(cf + "/" + other, key).statusCode());
    assertEquals(200, admin.post(cf + "/" + orders + "/purge", key,
        new JsonObject().put("delete_messages_permanently", true)).statusCode());
    assertEquals(403, admin.post(cf + "/" + other + "/purge", key,
        new JsonObject().put("delete_messages_permanently", true)).statusCode());
    assertEquals(403, admin.post(cf + "/" + orders + "/consumers", key, new JsonObject().put("type", "http_pull")
        .put("dead_letter_queue", "other")).statusCode(), "a dead-letter queue it has no grant for");
    assertEquals(403, admin.post(cf, key, new JsonObject().put("queue_name", "orders-2")).statusCode());
    assertEquals(404, admin.get(cf + "/" + foreignQueue, key).statusCode(),
        "another account's queue of the same name stays invisible");
    assertFalse(admin.get(cf, key).bodyAsString().contains(foreignQueue));
  }

  @Test
  void aGrantByQueueIdWorksLikeOneByName() throws Exception {
    String key = key(scope("queues", List.of("read"), List.of(other)));
    assertEquals(200, admin.get(cf + "/" + other, key).statusCode());
    assertEquals(403, admin.get(cf + "/" + orders, key).statusCode());
  }

  @Test
  void sonyaRoutesNeedTheSonyaGrant() throws Exception {
    String sonya = key(scope("sonya", List.of("read", "write"), List.of("*")));
    HttpResponse<Buffer> created = admin.post("/queue/create/from-sonya-key", sonya, null);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals(200, admin.post("/queue/generate_jwt/from-sonya-key/u1", sonya, null).statusCode());
    String queuesOnly = key(scope("queues", List.of("read", "write"), List.of("*")));
    HttpResponse<Buffer> refused = admin.post("/queue/create/not-allowed", queuesOnly, null);
    assertEquals(403, refused.statusCode());
    assertEquals(false, refused.bodyAsJsonObject().getBoolean("success"));
    assertEquals(403, admin.get(cf, sonya).statusCode(), "the Sonya grant is not a queues grant");
    assertEquals(403, admin.get("/accounts", sonya).statusCode(), "Sonya credentials are for the Sonya routes");
    assertEquals(403, admin.get("/v1/api_clients", sonya).statusCode());
  }

  private String key(JsonObject... scopes) throws Exception {
    HttpResponse<Buffer> created = admin.post("/v1/api_keys", root, new JsonObject().put("name", "scoped")
        .put("scopes", new JsonArray(List.of((Object[]) scopes))));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("api_key").getString("key");
  }

  private static String queueId(HttpResponse<Buffer> created) {
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("result").getString("queue_id");
  }

  // The {@code field} of each item in the listing's array {@code list}.
  private static List<String> names(HttpResponse<Buffer> listing, String list, String field) {
    assertEquals(200, listing.statusCode(), listing.bodyAsString());
    JsonArray items = assertInstanceOf(JsonArray.class, listing.bodyAsJsonObject().getValue(list),
        listing.bodyAsString());
    return items.stream().map(item -> ((JsonObject) item).getString(field)).toList();
  }
}
