package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.error.Dialect.SONYA;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscueAndSonyaRoutesTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String key = admin.rootKey();

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
    admin.discueQueue(key, "discue-dup");
    assertError(admin.post("/v1/queues", key, new JsonObject().put("name", "discue-dup")),
        DISCUE, ErrorCode.NAME_TAKEN, "discue-dup");
    assertError(admin.post("/v1/queues", key, new JsonObject()), DISCUE, ErrorCode.INVALID_FIELD, "name");
    assertError(admin.post("/v1/queues", key, new JsonObject().put("name", "a b")),
        DISCUE, ErrorCode.INVALID_FIELD, "name");
    assertError(admin.post("/v1/queues", key, "nope"), DISCUE, ErrorCode.MALFORMED_JSON, "JSON");
    assertError(admin.post("/v1/queues", null, new JsonObject().put("name", "x")), DISCUE, ErrorCode.UNAUTHENTICATED,
        "API key");
    assertError(admin.get("/v1/queues", "fry_invalid"), DISCUE, ErrorCode.UNAUTHENTICATED, "not valid");
    assertFalse(admin.get("/v1/queues", key).bodyAsString().contains("\"a b\""));
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
    assertError(admin.post("/queue/create/bad%20name", key, null), SONYA, ErrorCode.INVALID_FIELD, "queue");
    assertError(admin.post("/queue/create/" + "q".repeat(129), key, null), SONYA, ErrorCode.INVALID_FIELD, "queue");
    assertError(admin.post("/queue/create/nokey", null, null), SONYA, ErrorCode.UNAUTHENTICATED, "API key");
    assertFalse(admin.get("/v1/queues", key).bodyAsString().contains("nokey"));
  }
}
