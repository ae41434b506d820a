package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.ResourceRef;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** discue's queue routes over real HTTP: the message schema on create and update, GET, PUT and DELETE. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscueQueueRoutesTest {

  private static final JsonObject SCHEMA = new JsonObject("""
      {"type": "object", "props": {"age": {"type": "integer", "min": 0, "required": true}}}""");

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String root = admin.rootKey();
  private final String account = admin.accountId();

  @Test
  void aQueueIsCreatedWithItsSchemaAndMessagingIsToldAboutIt() throws Exception {
    HttpResponse<Buffer> created = admin.post("/v1/queues", root, new JsonObject().put("name", "people")
        .put("schema", SCHEMA));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject queue = created.bodyAsJsonObject().getJsonObject("queue");
    assertEquals(SCHEMA, queue.getJsonObject("schema"));
    String id = queue.getString("id");
    assertEquals(SCHEMA, upserted(id).schema());

    JsonObject got = admin.get("/v1/queues/" + id, root).bodyAsJsonObject();
    assertEquals(new JsonObject().put("id", id).put("name", "people").put("schema", SCHEMA), got.getJsonObject("queue"));
    assertEquals("/v1/queues/" + id, got.getJsonObject("_links").getJsonObject("self").getString("href"));
    assertTrue(admin.get("/v1/queues", root).bodyAsJsonObject().getJsonArray("queues").contains(got.getJsonObject("queue")));
  }

  @Test
  void aQueueWithoutSchemaShowsNone() throws Exception {
    String id = create("plain", null);
    JsonObject queue = admin.get("/v1/queues/" + id, root).bodyAsJsonObject().getJsonObject("queue");
    assertFalse(queue.containsKey("schema"));
    assertNull(upserted(id).schema());
  }

  @Test
  void aBadSchemaIsRefusedNamingThePathInsideItAndCreatesNothing() throws Exception {
    int upserts = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).size();
    assertError(admin.post("/v1/queues", root, new JsonObject().put("name", "bad").put("schema",
        new JsonObject("{\"type\": \"object\", \"props\": {\"age\": {\"type\": \"number\", \"min\": \"0\"}}}"))),
        DISCUE, ErrorCode.INVALID_FIELD, "schema.props.age.min: must be a number");
    assertError(admin.post("/v1/queues", root, new JsonObject().put("name", "bad").put("schema", "object")),
        DISCUE, ErrorCode.INVALID_FIELD, "schema: must be an object");
    assertError(admin.post("/v1/queues", root, new JsonObject().put("name", "bad")
        .put("schema", new JsonObject().put("type", "date"))),
        DISCUE, ErrorCode.INVALID_FIELD, "schema.type: must be one of");
    assertError(admin.post("/v1/queues", root, new JsonObject().put("name", "bad")
        .put("schema", new JsonObject().put("type", "string").put("pattern", "(x"))), DISCUE, ErrorCode.INVALID_FIELD,
        "schema.pattern: is not a valid regular expression");
    assertEquals(upserts, admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).size());
    assertFalse(admin.get("/v1/queues", root).bodyAsString().contains("\"bad\""));
  }

  @Test
  void putRenamesAndReplacesOrRemovesTheSchema() throws Exception {
    String id = create("to-edit", SCHEMA);
    JsonObject other = new JsonObject().put("type", "string");
    HttpResponse<Buffer> renamed = put(id, root, new JsonObject().put("name", "edited").put("schema", other));
    assertEquals(200, renamed.statusCode(), renamed.bodyAsString());
    assertEquals(new JsonObject().put("id", id).put("name", "edited").put("schema", other),
        renamed.bodyAsJsonObject().getJsonObject("queue"));
    assertEquals("edited", upserted(id).name());
    assertEquals(other, upserted(id).schema());

    // Leaving schema out keeps it; only an explicit null removes it.
    assertEquals(other, put(id, root, new JsonObject().put("name", "edited-2")).bodyAsJsonObject()
        .getJsonObject("queue").getJsonObject("schema"));
    assertEquals(other, put(id, root, new JsonObject()).bodyAsJsonObject().getJsonObject("queue").getJsonObject("schema"));
    HttpResponse<Buffer> removed = put(id, root, new JsonObject().putNull("schema"));
    assertEquals(200, removed.statusCode());
    assertFalse(removed.bodyAsJsonObject().getJsonObject("queue").containsKey("schema"));
    assertNull(upserted(id).schema());
    assertFalse(admin.get("/v1/queues/" + id, root).bodyAsJsonObject().getJsonObject("queue").containsKey("schema"));
  }

  @Test
  void putRefusesBadFieldsAndTakenNamesChangingNothing() throws Exception {
    String id = create("stays", SCHEMA);
    create("taken", null);
    assertError(put(id, root, new JsonObject().put("schema", new JsonObject().put("type", "array").put("min", -1))),
        DISCUE, ErrorCode.INVALID_FIELD, "schema.min: must be a whole number");
    assertError(put(id, root, new JsonObject().put("name", 5)),
        DISCUE, ErrorCode.INVALID_FIELD, "name: must be a string");
    assertError(put(id, root, new JsonObject().put("name", "no spaces")), DISCUE, ErrorCode.INVALID_FIELD, "name");
    assertError(put(id, root, "{"), DISCUE, ErrorCode.MALFORMED_JSON, "not valid JSON");
    HttpResponse<Buffer> taken = put(id, root, new JsonObject().put("name", "taken"));
    assertError(taken, DISCUE, ErrorCode.NAME_TAKEN, "name: a queue named 'taken' already exists");
    assertEquals("Unprocessable Entity", taken.bodyAsJsonObject().getString("title"));
    assertEquals(new JsonObject().put("id", id).put("name", "stays").put("schema", SCHEMA),
        admin.get("/v1/queues/" + id, root).bodyAsJsonObject().getJsonObject("queue"));
  }

  @Test
  void cloudflareEditsKeepTheSchema() throws Exception {
    String id = create("cf-edited", SCHEMA);
    HttpResponse<Buffer> patched = admin.call(HttpMethod.PATCH, "/accounts/" + account + "/queues/" + id, root,
        new JsonObject().put("settings", new JsonObject().put("delivery_delay", 5)));
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    assertEquals(SCHEMA, admin.get("/v1/queues/" + id, root).bodyAsJsonObject().getJsonObject("queue")
        .getJsonObject("schema"));
    assertEquals(SCHEMA, upserted(id).schema());
  }

  @Test
  void deleteRemovesTheQueueWithItsConsumersEverywhere() throws Exception {
    String id = create("doomed", SCHEMA);
    assertEquals(200, admin.post("/accounts/" + account + "/queues/" + id + "/consumers", root,
        new JsonObject().put("type", "http_pull")).statusCode());
    HttpResponse<Buffer> deleted = admin.call(HttpMethod.DELETE, "/v1/queues/" + id, root, null);
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(new JsonObject().put("id", id).put("name", "doomed"), deleted.bodyAsJsonObject().getJsonObject("queue"));
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_QUEUE_DELETE, ResourceRef.class).stream()
        .anyMatch(ref -> ref.id().equals(id)));
    assertError(admin.get("/v1/queues/" + id, root), DISCUE, ErrorCode.NOT_FOUND, id);
    assertError(admin.get("/v1/queues/" + id + "/listeners", root), DISCUE, ErrorCode.NOT_FOUND, id);
    assertEquals(404, admin.get("/accounts/" + account + "/queues/" + id + "/consumers", root).statusCode());
    assertError(admin.call(HttpMethod.DELETE, "/v1/queues/" + id, root, null), DISCUE, ErrorCode.NOT_FOUND, id);
  }

  @Test
  void anotherAccountsQueueIsNotFoundAndUntouched() throws Exception {
    String id = create("mine", SCHEMA);
    String stranger = admin.account("stranger").key();
    assertError(admin.get("/v1/queues/" + id, stranger), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(put(id, stranger, new JsonObject().put("name", "theirs")), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.call(HttpMethod.DELETE, "/v1/queues/" + id, stranger, null),
        DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertEquals("mine", admin.get("/v1/queues/" + id, root).bodyAsJsonObject().getJsonObject("queue").getString("name"));
  }

  @Test
  void malformedIdsAndUnsupportedMethodsAreProblems() throws Exception {
    assertError(admin.get("/v1/queues/not-an-id", root),
        DISCUE, ErrorCode.QUEUE_NOT_FOUND, "queue not-an-id not found");
    assertError(put("not-an-id", root, new JsonObject()),
        DISCUE, ErrorCode.QUEUE_NOT_FOUND, "queue not-an-id not found");
    assertEquals(405, admin.post("/v1/queues/" + create("m", null), root, new JsonObject()).statusCode());
  }

  @Test
  void scopesDecidePerQueue() throws Exception {
    String id = create("scoped", null);
    String reader = TestAccounts.scopedKey(admin, root, "queues", "read", "*");
    assertEquals(200, admin.get("/v1/queues/" + id, reader).statusCode());
    assertEquals(403, put(id, reader, new JsonObject().put("name", "x")).statusCode());
    assertEquals(403, admin.call(HttpMethod.DELETE, "/v1/queues/" + id, reader, null).statusCode());
    String otherWriter = TestAccounts.scopedKey(admin, root, "queues", "write", "some-other-queue");
    assertEquals(403, put(id, otherWriter, new JsonObject().put("name", "x")).statusCode());
    String writer = TestAccounts.scopedKey(admin, root, "queues", "write", "scoped");
    assertEquals(403, admin.get("/v1/queues/" + id, writer).statusCode(), "write does not imply read");
    assertEquals(200, put(id, writer, new JsonObject().put("schema", SCHEMA)).statusCode());
  }

  // A name may be granted to other credentials: taking it needs a grant for it, as creating it would.
  @Test
  void renamingNeedsAGrantForTheNewName() throws Exception {
    String id = create("rename-scoped", null);
    create("rename-taken", null);
    String byName = TestAccounts.scopedKey(admin, root, "queues", "write", "rename-scoped");
    String byId = TestAccounts.scopedKey(admin, root, "queues", "write", id);
    for (String writer : List.of(byName, byId)) {
      assertError(put(id, writer, new JsonObject().put("name", "billing")), DISCUE, ErrorCode.FORBIDDEN, "queue");
      assertError(put(id, writer, new JsonObject().put("name", "rename-taken")), DISCUE, ErrorCode.FORBIDDEN, "queue");
      assertEquals(200, put(id, writer, new JsonObject().put("name", "rename-scoped")).statusCode(),
          "keeping the name needs no grant for it");
    }
    assertEquals("rename-scoped", admin.get("/v1/queues/" + id, root).bodyAsJsonObject().getJsonObject("queue")
        .getString("name"));
    String renamer = admin.post("/v1/api_keys", root, new JsonObject().put("name", "renamer").put("scopes",
        new JsonArray().add("queues:write:" + id).add("queues:write:billing")))
        .bodyAsJsonObject().getJsonObject("api_key").getString("key");
    assertEquals(200, put(id, renamer, new JsonObject().put("name", "billing")).statusCode());
    assertEquals(403, put(id, byId, new JsonObject().put("name", "rename-scoped")).statusCode());
  }

  private String create(String name, JsonObject schema) throws Exception {
    JsonObject body = new JsonObject().put("name", name);
    if (schema != null) {
      body.put("schema", schema);
    }
    HttpResponse<Buffer> created = admin.post("/v1/queues", root, body);
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("queue").getString("id");
  }

  private HttpResponse<Buffer> put(String id, String key, Object body) throws Exception {
    return admin.call(HttpMethod.PUT, "/v1/queues/" + id, key, body);
  }

  // What messaging-service was last told about the queue.
  private QueueInfo upserted(String id) {
    List<QueueInfo> upserts = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .filter(queue -> queue.id().equals(id)).toList();
    return upserts.get(upserts.size() - 1);
  }
}
