package io.ferry.messaging;

import static io.ferry.contracts.error.Dialect.CLOUDFLARE;
import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.ACCOUNT_B;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.KEY_B;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.KeyRef;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * Looking at and deleting messages outside delivery: Cloudflare metrics, peek and purge by ref; discue list,
 * get and delete; Sonya delete by id over the bus. Every error in its dialect's format, changing nothing.
 */
class BrowseAndDeleteRoutesTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @RegisterExtension
  final TestQueue queue = TestQueue.withoutConsumers(node);

  @Test
  void metricsDescribeTheBacklog() {
    JsonObject empty = metrics(queue.path());
    assertEquals(new JsonObject().put("backlog_count", 0).put("backlog_bytes", 0)
        .put("oldest_message_timestamp_ms", 0), empty);
    long before = System.currentTimeMillis();
    push(new JsonObject().put("body", "abc").put("content_type", "text"));
    push(new JsonObject().put("body", "de").put("content_type", "text"));
    JsonObject metrics = metrics("/client/v4" + queue.path());
    assertEquals(2, metrics.getInteger("backlog_count"));
    assertEquals(5, metrics.getInteger("backlog_bytes"));
    assertTrue(metrics.getLong("oldest_message_timestamp_ms") >= before);

    assertError(node.get(queue.path() + "/metrics", KEY_B), CLOUDFLARE, ErrorCode.FORBIDDEN);
    assertError(node.get(queuePath(ACCOUNT_A, Ids.newId()) + "/metrics", KEY_A), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND);
    assertError(node.get(queuePath(ACCOUNT_A, "nope") + "/metrics", KEY_A), CLOUDFLARE, ErrorCode.QUEUE_ID_MALFORMED);
  }

  @Test
  void peekShowsMessagesWithoutLeasingThemAndNeedsNoConsumer() {
    push(new JsonObject().put("body", new JsonObject().put("n", 1)));
    push(new JsonObject().put("body", "two").put("content_type", "text"));
    push(new JsonObject().put("body", Base64.getEncoder().encodeToString(new byte[] {9})).put("content_type", "bytes"));

    JsonArray one = peek(new JsonObject());
    assertEquals(1, one.size(), "batch_size defaults to 1");
    JsonArray all = peek(new JsonObject().put("batch_size", 10));
    assertEquals(3, all.size());
    JsonObject first = all.getJsonObject(0);
    assertEquals("{\"n\":1}", new String(Base64.getDecoder().decode(first.getString("body")), StandardCharsets.UTF_8));
    assertEquals("json", first.getJsonObject("metadata").getString("CF-Content-Type"));
    assertEquals(0, first.getInteger("attempts"));
    assertTrue(first.getLong("timestamp_ms") > 0);
    assertTrue(first.getString("ref") != null && first.getString("id").length() == 32);
    assertEquals("two", all.getJsonObject(1).getString("body"));
    assertEquals("CQ==", all.getJsonObject(2).getString("body"));

    node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    JsonArray pulled = json(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
        .getJsonObject("result").getJsonArray("messages");
    assertEquals(3, pulled.size(), "peeking leased nothing");
    assertEquals(1, peek(new JsonObject().put("batch_size", 1)).getJsonObject(0).getInteger("attempts"));
  }

  @Test
  void invalidPeekAndPurgeBodiesAreRejectedNamingTheField() {
    push(new JsonObject().put("body", 1));
    String peek = queue.path() + "/messages/peek";
    assertError(node.post(peek, KEY_A, new JsonObject().put("batch_size", 0)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "batch_size:");
    assertError(node.post(peek, KEY_A, new JsonObject().put("batch_size", 101)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "batch_size:");
    assertError(node.post(peek, KEY_A, new JsonObject().put("batch_size", "2")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "batch_size:");
    assertError(node.post(peek, KEY_A, Buffer.buffer("[")), CLOUDFLARE, ErrorCode.MALFORMED_JSON);
    assertError(node.post(peek, KEY_B, new JsonObject()), CLOUDFLARE, ErrorCode.FORBIDDEN);
    assertError(node.post(queuePath(ACCOUNT_A, Ids.newId()) + "/messages/peek", KEY_A, new JsonObject()),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND);

    String purge = queue.path() + "/messages/purge";
    assertError(node.post(purge, KEY_A, new JsonObject()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "refs:");
    assertError(node.post(purge, KEY_A, new JsonObject().put("refs", "x")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "refs:");
    assertError(node.post(purge, KEY_A, new JsonObject().put("refs", new JsonArray().add("x"))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "refs[0]:");
    assertError(node.post(purge, KEY_A, new JsonObject().put("refs", new JsonArray().add(new JsonObject()
        .put("ref", peek(new JsonObject()).getJsonObject(0).getString("ref"))).add(new JsonObject().put("ref", 3)))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "refs[1].ref:");
    assertError(node.post(purge, KEY_B, new JsonObject().put("refs", new JsonArray())),
        CLOUDFLARE, ErrorCode.FORBIDDEN);
    assertEquals(1, peek(new JsonObject()).size(), "nothing was deleted");
  }

  @Test
  void purgeByRefDeletesExactlyThePeekedMessagesForEverySubscription() {
    SubscriptionSpec listener = node.subscribe(queue.id(), SubscriptionSpec.Kind.LISTENER);
    node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    for (int i = 1; i <= 3; i++) {
      push(new JsonObject().put("body", "m" + i).put("content_type", "text"));
    }
    JsonArray peeked = peek(new JsonObject().put("batch_size", 2));
    QueueInfo other = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    node.post(queuePath(ACCOUNT_A, other.id()) + "/messages", KEY_A, new JsonObject().put("body", 1));
    String otherRef = json(node.post(queuePath(ACCOUNT_A, other.id()) + "/messages/peek", KEY_A, new JsonObject()))
        .getJsonObject("result").getJsonArray("messages").getJsonObject(0).getString("ref");

    JsonArray refs = new JsonArray()
        .add(new JsonObject().put("ref", peeked.getJsonObject(0).getString("ref")))
        .add(new JsonObject().put("ref", peeked.getJsonObject(1).getString("ref")))
        .add(new JsonObject().put("ref", "unknown"))
        .add(new JsonObject().put("ref", otherRef));
    JsonObject result = json(node.post(queue.path() + "/messages/purge", KEY_A, new JsonObject().put("refs", refs)))
        .getJsonObject("result");
    assertEquals(new JsonArray(), result.getJsonArray("errors"));
    assertEquals(2, result.getJsonObject("warnings").size());

    JsonArray remaining = peek(new JsonObject().put("batch_size", 10));
    assertEquals(1, remaining.size());
    assertEquals("m3", remaining.getJsonObject(0).getString("body"));
    JsonArray pulled = json(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
        .getJsonObject("result").getJsonArray("messages");
    assertEquals(List.of("m3"), List.of(pulled.getJsonObject(0).getString("body")));
    assertEquals(1, node.lease(queue.id(), listener.id(), 10, 30_000).messages().size());
    assertEquals(1, node.history(other.id()).messages().size(), "another queue's message is untouched");
    // A stale ref (already deleted) is a warning too.
    JsonObject again = json(node.post(queue.path() + "/messages/purge", KEY_A, new JsonObject().put("refs",
        new JsonArray().add(refs.getJsonObject(0))))).getJsonObject("result");
    assertEquals(1, again.getJsonObject("warnings").size());
  }

  @Test
  void discueListsRetainedMessagesPageByPage() {
    QueueInfo second = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    QueueInfo foreign = node.createQueue(ACCOUNT_B, QueueSettings.DEFAULTS);
    for (int i = 1; i <= 3; i++) {
      create(queue.id(), KEY_A, "n" + i, "d" + i);
    }
    create(second.id(), KEY_A, "s1", "x");
    create(foreign.id(), KEY_B, "f1", "x");

    JsonObject all = json(node.get("/v1/queues/" + queue.id() + "/messages", KEY_A));
    assertEquals(List.of("n1", "n2", "n3"), names(all));
    JsonObject page = json(node.get("/v1/queues/" + queue.id() + "/messages?limit=2", KEY_A));
    assertEquals(List.of("n1", "n2"), names(page));
    String next = page.getJsonObject("_links").getJsonObject("next").getString("href");
    JsonObject rest = json(node.get(next, KEY_A));
    assertEquals(List.of("n3"), names(rest));
    assertFalse(rest.getJsonObject("_links").containsKey("next"));

    JsonObject account = json(node.get("/v1/messages?limit=1000", KEY_A));
    List<String> accountNames = names(account);
    assertTrue(accountNames.containsAll(List.of("n1", "n2", "n3", "s1")), accountNames.toString());
    assertFalse(accountNames.contains("f1"));
    String afterN3 = all.getJsonArray("messages").getJsonObject(2).getString("id");
    List<String> afterCursor = names(json(node.get("/v1/messages?start_after=" + afterN3, KEY_A)));
    assertFalse(afterCursor.contains("n1") || afterCursor.contains("n3"));

    assertError(node.get("/v1/queues/" + queue.id() + "/messages?limit=0", KEY_A),
        DISCUE, ErrorCode.INVALID_FIELD, "limit:");
    assertError(node.get("/v1/messages?limit=x", KEY_A), DISCUE, ErrorCode.INVALID_FIELD, "limit:");
    assertError(node.get("/v1/messages?start_after=zzz", KEY_A), DISCUE, ErrorCode.INVALID_FIELD, "start_after:");
    String foreignId = json(node.get("/v1/queues/" + foreign.id() + "/messages", KEY_B)).getJsonArray("messages")
        .getJsonObject(0).getString("id");
    assertError(node.get("/v1/queues/" + queue.id() + "/messages?start_after=" + foreignId, KEY_A),
        DISCUE, ErrorCode.INVALID_FIELD, "start_after:");
    assertError(node.get("/v1/queues/" + foreign.id() + "/messages", KEY_A), DISCUE, ErrorCode.NOT_FOUND);
    assertError(node.get("/v1/queues/nope/messages", KEY_A), DISCUE, ErrorCode.NOT_FOUND);
  }

  @Test
  void discueGetsAMessageWithItsDataAsStored() {
    String textId = create(queue.id(), KEY_A, "greeting", "hello");
    node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body",
        new JsonObject().put("a", List.of(1, 2))));
    String jsonId = json(node.get("/v1/queues/" + queue.id() + "/messages", KEY_A)).getJsonArray("messages")
        .getJsonObject(1).getString("id");

    JsonObject text = json(node.get("/v1/queues/" + queue.id() + "/messages/" + textId, KEY_A));
    assertEquals(new JsonObject().put("id", textId).put("name", "greeting").put("data", "hello"),
        text.getJsonObject("message"));
    assertEquals("/v1/queues/" + queue.id() + "/messages/" + textId,
        text.getJsonObject("_links").getJsonObject("self").getString("href"));
    JsonObject structured = json(node.get("/v1/queues/" + queue.id() + "/messages/" + jsonId, KEY_A))
        .getJsonObject("message");
    assertEquals(new JsonObject().put("a", new JsonArray().add(1).add(2)), structured.getJsonObject("data"));
    assertNull(structured.getString("name"));

    assertError(node.get("/v1/queues/" + queue.id() + "/messages/" + Ids.newId(), KEY_A), DISCUE, ErrorCode.NOT_FOUND);
    assertError(node.get("/v1/queues/" + queue.id() + "/messages/not-an-id", KEY_A), DISCUE, ErrorCode.NOT_FOUND);
    assertError(node.get("/v1/queues/" + queue.id() + "/messages/" + textId, KEY_B), DISCUE, ErrorCode.NOT_FOUND);
  }

  @Test
  void discueDeletesAMessageForEverySubscription() {
    SubscriptionSpec listener = node.subscribe(queue.id(), SubscriptionSpec.Kind.LISTENER);
    node.subscribe(queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER);
    String doomed = create(queue.id(), KEY_A, "doomed", "x");
    create(queue.id(), KEY_A, "kept", "y");
    String messagePath = "/v1/queues/" + queue.id() + "/messages/" + doomed;

    assertError(node.delete(messagePath, KEY_B), DISCUE, ErrorCode.NOT_FOUND);
    HttpResponse<Buffer> deleted = node.delete(messagePath, KEY_A);
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(new JsonObject().put("message", new JsonObject().put("id", doomed).put("name", "doomed")),
        json(deleted));

    assertError(node.get(messagePath, KEY_A), DISCUE, ErrorCode.NOT_FOUND);
    assertError(node.delete(messagePath, KEY_A), DISCUE, ErrorCode.NOT_FOUND);
    JsonArray pulled = json(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 10)))
        .getJsonObject("result").getJsonArray("messages");
    assertEquals(1, pulled.size());
    assertEquals("y", pulled.getJsonObject(0).getString("body"));
    assertEquals(1, node.lease(queue.id(), listener.id(), 10, 30_000).messages().size());
  }

  @Test
  void deleteByKeyRemovesEveryMessageWithThatFrameId() {
    SubscriptionSpec listener = node.subscribe(queue.id(), SubscriptionSpec.Kind.LISTENER);
    for (String id : List.of("a", "b", "a")) {
      node.post("/queue/send/" + queue.name(), KEY_A, new JsonObject().put("id", id).put("payload", id));
    }
    push(new JsonObject().put("body", 1));
    String keyless = node.history(queue.id()).messages().get(3).id();

    await(Bus.<Ack>request(node.vertx, Addresses.MESSAGING_DELETE_BY_KEY, new KeyRef(queue.id(), "a")));
    assertEquals(List.of("b", keyless), node.history(queue.id()).messages().stream().map(StoredMessage::frameId)
        .toList());
    await(Bus.<Ack>request(node.vertx, Addresses.MESSAGING_DELETE_BY_KEY, new KeyRef(queue.id(), keyless)));
    assertEquals(List.of("b"), node.history(queue.id()).messages().stream().map(StoredMessage::frameId).toList());
    assertEquals(1, node.lease(queue.id(), listener.id(), 10, 30_000).messages().size());

    assertEquals(ErrorCode.QUEUE_NOT_FOUND, TestNode.failure(Bus.request(node.vertx,
        Addresses.MESSAGING_DELETE_BY_KEY, new KeyRef(Ids.newId(), "b"))).code());
    assertEquals(ErrorCode.INVALID_FIELD, TestNode.failure(Bus.request(node.vertx,
        Addresses.MESSAGING_DELETE_BY_KEY, new KeyRef(queue.id(), null))).code());
    assertEquals(1, node.history(queue.id()).messages().size());
  }

  @Test
  void theOpenApiContractListsTheNewRoutes() throws Exception {
    JsonObject served = new JsonObject(new Yaml().<Map<String, Object>>load(node.get("/openapi.yaml").bodyAsString()))
        .getJsonObject("paths");
    JsonObject declared;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi/messaging.json")) {
      declared = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("paths");
    }
    String queue = "/accounts/{account_id}/queues/{queue_id}";
    Map<String, Set<String>> methods = Map.of(
        queue + "/messages/peek", Set.of("post"),
        queue + "/messages/purge", Set.of("post"),
        queue + "/metrics", Set.of("get"),
        "/v1/messages", Set.of("get"),
        "/v1/queues/{queue_id}/messages/{message_id}", Set.of("get", "delete"));
    methods.forEach((path, expected) -> {
      JsonObject item = served.getJsonObject(path);
      // A Cloudflare path also names its servers: /client/v4 and the bare /accounts.
      assertEquals(expected, item.fieldNames().stream().filter(key -> !key.equals("servers")).collect(
          java.util.stream.Collectors.toSet()), path);
      assertEquals(declared.getJsonObject(path), item, "served as the module declares it: " + path);
    });
    for (String listing : List.of("/v1/messages", "/v1/queues/{queue_id}/messages")) {
      assertEquals(List.of("limit", "start_after"), served.getJsonObject(listing).getJsonObject("get")
          .getJsonArray("parameters").stream().map(p -> (JsonObject) p).filter(p -> "query".equals(p.getString("in")))
          .map(p -> p.getString("name")).toList(), listing);
    }
  }

  private void push(JsonObject body) {
    assertEquals(200, node.post(queue.path() + "/messages", KEY_A, body).statusCode());
  }

  private JsonArray peek(JsonObject body) {
    HttpResponse<Buffer> response = node.post(queue.path() + "/messages/peek", KEY_A, body);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result").getJsonArray("messages");
  }

  private static JsonObject metrics(String queuePath) {
    HttpResponse<Buffer> response = node.get(queuePath + "/metrics", KEY_A);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result");
  }

  private static String create(String queueId, String key, String name, String data) {
    HttpResponse<Buffer> created = node.post("/v1/queues/" + queueId + "/messages", key,
        new JsonObject().put("name", name).put("data", data));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return json(created).getJsonObject("message").getString("id");
  }

  private static List<String> names(JsonObject listing) {
    return listing.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("name")).toList();
  }

}
