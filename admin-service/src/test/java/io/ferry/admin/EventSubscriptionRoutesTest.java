package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.CLOUDFLARE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.FerryEvents;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.PublishRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cloudflare event subscriptions over real HTTP, and their delivery into a stand-in messaging-service. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventSubscriptionRoutesTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String key = admin.rootKey();
  private final String base = "/client/v4/accounts/" + admin.accountId();
  private final String subscriptions = base + "/event_subscriptions/subscriptions";

  private String createQueue(String name) throws Exception {
    return admin.cloudflareQueue(name).getString("queue_id");
  }

  private String createQueue(String accountBase, String credential, String name) throws Exception {
    HttpResponse<Buffer> response = admin.post(accountBase + "/queues", credential,
        new JsonObject().put("queue_name", name));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("result").getString("queue_id");
  }

  private static JsonObject body(String name, String source, String queueId, String... events) {
    return new JsonObject().put("name", name).put("enabled", true)
        .put("source", new JsonObject().put("type", source))
        .put("destination", new JsonObject().put("type", "queues.queue").put("queue_id", queueId))
        .put("events", new JsonArray(List.of((Object[]) events)));
  }

  private static JsonObject result(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(true, response.bodyAsJsonObject().getBoolean("success"));
    return response.bodyAsJsonObject().getJsonObject("result");
  }

  private JsonObject create(JsonObject body) throws Exception {
    return result(admin.post(subscriptions, key, body));
  }

  private List<JsonObject> published(String queueId) {
    return admin.messaging.payloads(Addresses.MESSAGING_PUBLISH, PublishRequest.class).stream()
        .filter(p -> p.queueId().equals(queueId))
        .flatMap(p -> p.jsonBodies().stream()).map(b -> (JsonObject) b).toList();
  }

  private List<JsonObject> published(String queueId, String type) {
    return published(queueId).stream().filter(m -> m.getString("type").equals(type)).toList();
  }

  @Test
  void createsGetsUpdatesAndDeletesASubscription() throws Exception {
    String dest = createQueue("crud-sink");
    JsonObject created = create(body("crud", "ferry.queues", dest, "queue.created", "queue.deleted"));
    assertTrue(Ids.isValid(created.getString("id")));
    assertEquals("crud", created.getString("name"));
    assertEquals(true, created.getBoolean("enabled"));
    assertEquals(new JsonObject().put("type", "ferry.queues"), created.getJsonObject("source"));
    assertEquals(new JsonObject().put("type", "queues.queue").put("queue_id", dest),
        created.getJsonObject("destination"));
    assertEquals(new JsonArray().add("queue.created").add("queue.deleted"), created.getJsonArray("events"));
    Instant.parse(created.getString("created_at"));
    assertEquals(created.getString("created_at"), created.getString("modified_at"));
    String path = subscriptions + "/" + created.getString("id");
    assertEquals(created, result(admin.get(path, key)));
    assertEquals(created, result(admin.get("/accounts/" + admin.defaultAccountId()
        + "/event_subscriptions/subscriptions/" + created.getString("id"), key)));

    JsonObject disabled = result(admin.call(HttpMethod.PATCH, path, key,
        new JsonObject().put("enabled", false).put("name", "crud-renamed")));
    assertEquals(false, disabled.getBoolean("enabled"));
    assertEquals("crud-renamed", disabled.getString("name"));
    assertEquals(created.getJsonArray("events"), disabled.getJsonArray("events"));
    assertEquals(created.getString("created_at"), disabled.getString("created_at"));
    assertFalse(Instant.parse(disabled.getString("modified_at"))
        .isBefore(Instant.parse(created.getString("created_at"))));
    assertError(admin.call(HttpMethod.PATCH, path, key,
        new JsonObject().put("source", new JsonObject().put("type", "ferry.consumers"))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "events[0]");
    JsonObject switched = result(admin.call(HttpMethod.PATCH, path, key, new JsonObject()
        .put("source", new JsonObject().put("type", "ferry.consumers"))
        .put("events", new JsonArray().add("consumer.created").add("message.dead_lettered").add("consumer.created"))));
    assertEquals(new JsonArray().add("consumer.created").add("message.dead_lettered"), switched.getJsonArray("events"));
    assertEquals(switched, result(admin.get(path, key)));

    JsonObject deleted = result(admin.call(HttpMethod.DELETE, path, key, null));
    assertEquals(switched, deleted);
    assertError(admin.get(path, key), CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.call(HttpMethod.DELETE, path, key, null), CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.call(HttpMethod.PATCH, path, key, new JsonObject()),
        CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
  }

  @Test
  void refusesBadSubscriptionsNamingTheField() throws Exception {
    String dest = createQueue("bad-sink");
    JsonObject good = body("bad", "ferry.queues", dest, "queue.created");
    int before = ids(admin.get(subscriptions + "?per_page=1000", key)).size();
    Map<String, JsonObject> cases = new java.util.LinkedHashMap<>();
    cases.put("name", good.copy().put("name", ""));
    cases.put("name ", good.copy().put("name", 5));
    cases.put("enabled", good.copy().put("enabled", "yes"));
    cases.put("source", good.copy().put("source", "ferry.queues"));
    cases.put("source.type", good.copy().put("source", new JsonObject().put("type", "kv")));
    cases.put("source.type ", good.copy().put("source", new JsonObject()));
    cases.put("destination", good.copy().put("destination", 1));
    cases.put("destination.type", good.copy().put("destination", new JsonObject().put("type", "workers.worker")
        .put("queue_id", dest)));
    cases.put("destination.queue_id", good.copy().put("destination", new JsonObject().put("type", "queues.queue")
        .put("queue_id", "nope")));
    cases.put("destination.queue_id ", good.copy().put("destination", new JsonObject().put("type", "queues.queue")));
    cases.put("events", good.copy().put("events", "queue.created"));
    cases.put("events ", good.copy().put("events", new JsonArray()));
    cases.put("events[0]", good.copy().put("events", new JsonArray().add(5)));
    cases.put("events[1]", good.copy().put("events", new JsonArray().add("queue.created").add("queue.exploded")));
    cases.put("events[0] ", good.copy().put("events", new JsonArray().add("consumer.created")));
    for (String missing : List.of("name", "source", "destination", "events")) {
      JsonObject without = good.copy();
      without.remove(missing);
      cases.put(missing + "  ", without);
    }
    for (Map.Entry<String, JsonObject> bad : cases.entrySet()) {
      assertError(admin.post(subscriptions, key, bad.getValue()),
          CLOUDFLARE, ErrorCode.INVALID_FIELD, bad.getKey().trim() + ":");
    }
    HttpResponse<Buffer> wrongSource = admin.post(subscriptions, key, good.copy()
        .put("events", new JsonArray().add("consumer.created")));
    assertTrue(wrongSource.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("message")
        .contains("ferry.consumers"));
    assertError(admin.post(subscriptions, key, "{\"name\":"), CLOUDFLARE, ErrorCode.MALFORMED_JSON, "JSON");
    assertError(admin.post(subscriptions, key, "[]"), CLOUDFLARE, ErrorCode.INVALID_FIELD, "object");
    assertError(admin.post(subscriptions, key, body("x", "ferry.queues", Ids.newId(), "queue.created")),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "destination.queue_id");
    assertEquals(before, ids(admin.get(subscriptions + "?per_page=1000", key)).size(), "nothing was created");

    create(good);
    assertError(admin.post(subscriptions, key, body("again", "ferry.queues", dest, "queue.deleted")),
        CLOUDFLARE, ErrorCode.METHOD_NOT_ALLOWED, "already exists");
    JsonObject other = create(body("other-source", "ferry.listeners", dest, "listener.created"));
    String otherPath = subscriptions + "/" + other.getString("id");
    assertError(admin.call(HttpMethod.PATCH, otherPath, key, new JsonObject()
        .put("source", new JsonObject().put("type", "ferry.queues"))
        .put("events", new JsonArray().add("queue.created"))),
        CLOUDFLARE, ErrorCode.METHOD_NOT_ALLOWED, "already exists");
    assertError(admin.call(HttpMethod.PATCH, otherPath, key, new JsonObject().put("destination",
        new JsonObject().put("type", "queues.queue").put("queue_id", Ids.newId()))),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertError(admin.call(HttpMethod.PATCH, otherPath, key, new JsonObject().put("enabled", 1)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "enabled");
    assertError(admin.call(HttpMethod.PATCH, otherPath, key, new JsonObject().put("name", "")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "name");
    assertEquals(other, result(admin.get(otherPath, key)), "refused changes changed nothing");
    assertError(admin.get(subscriptions + "/nope", key), CLOUDFLARE, ErrorCode.INVALID_FIELD, "subscription_id");
    assertError(admin.call(HttpMethod.PATCH, subscriptions + "/nope", key, new JsonObject()),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "subscription_id");
    assertError(admin.call(HttpMethod.DELETE, subscriptions + "/nope", key, null),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "subscription_id");
    assertError(admin.get(subscriptions + "/" + Ids.newId(), key), CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
  }

  @Test
  void listsPagedAndOrdered() throws Exception {
    TestAccounts.Account account = admin.account("event-lister");
    String accountBase = "/client/v4/accounts/" + account.id();
    String path = accountBase + "/event_subscriptions/subscriptions";
    String b = result(admin.post(path, account.key(), body("b", "ferry.queues",
        createQueue(accountBase, account.key(), "list-1"), "queue.created"))).getString("id");
    String a = result(admin.post(path, account.key(), body("a", "ferry.consumers",
        createQueue(accountBase, account.key(), "list-2"), "consumer.created").put("enabled", false))).getString("id");
    String c = result(admin.post(path, account.key(), body("c", "ferry.listeners",
        createQueue(accountBase, account.key(), "list-3"), "listener.created"))).getString("id");

    assertEquals(List.of(b, a, c), ids(admin.get(path, account.key())));
    assertEquals(List.of(a, b, c), ids(admin.get(path + "?order=name", account.key())));
    assertEquals(List.of(c, b, a), ids(admin.get(path + "?order=name&direction=desc", account.key())));
    assertEquals(List.of(a, b, c), ids(admin.get(path + "?order=enabled", account.key())));
    assertEquals(List.of(a, c, b), ids(admin.get(path + "?order=source", account.key())));
    assertEquals(List.of(c, a, b), ids(admin.get(path + "?order=created_at&direction=desc", account.key())));
    HttpResponse<Buffer> second = admin.get(path + "?order=name&per_page=2&page=2", account.key());
    assertEquals(List.of(c), ids(second));
    assertEquals(new JsonObject().put("page", 2).put("per_page", 2).put("count", 1).put("total_count", 3)
        .put("total_pages", 2), second.bodyAsJsonObject().getJsonObject("result_info"));
    assertEquals(List.of(), ids(admin.get(path + "?page=9", account.key())));

    assertError(admin.get(path + "?order=id", account.key()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "order");
    assertError(admin.get(path + "?direction=up", account.key()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "direction");
    assertError(admin.get(path + "?page=0", account.key()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "page");
    assertError(admin.get(path + "?per_page=abc", account.key()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "per_page");
    assertFalse(ids(admin.get(subscriptions + "?per_page=1000", key)).contains(a), "other accounts' stay theirs");
  }

  private static List<String> ids(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("result").stream()
        .map(s -> ((JsonObject) s).getString("id")).toList();
  }

  @Test
  void deliversSubscribedEventsIntoTheDestinationQueue() throws Exception {
    String sink = createQueue("events-sink");
    JsonObject subscription = create(body("sink", "ferry.queues", sink, "queue.created", "queue.deleted"));
    String watched = createQueue("watched");

    await().atMost(Duration.ofSeconds(5)).until(() -> !published(sink, "queue.created").isEmpty());
    JsonObject message = published(sink, "queue.created").get(0);
    assertEquals(new JsonObject().put("type", "ferry.queues"), message.getJsonObject("source"));
    JsonObject metadata = message.getJsonObject("metadata");
    assertEquals(admin.defaultAccountId(), metadata.getString("accountId"));
    assertEquals(subscription.getString("id"), metadata.getString("eventSubscriptionId"));
    assertEquals(1, metadata.getInteger("eventSchemaVersion"));
    Instant at = Instant.parse(metadata.getString("eventTimestamp"));
    assertTrue(Math.abs(at.toEpochMilli() - System.currentTimeMillis()) < 60_000);
    assertEquals(new JsonObject().put("queue_id", watched).put("queue_name", "watched"),
        message.getJsonObject("payload"));
    assertEquals(4, message.size(), message.encode());

    // queue.updated is not subscribed to; the deletion after it is, and arrives after it would have.
    admin.call(HttpMethod.PATCH, base + "/queues/" + watched, key, new JsonObject().put("queue_name", "watched-2"));
    assertEquals(200, admin.call(HttpMethod.DELETE, base + "/queues/" + watched, key, null).statusCode());
    await().atMost(Duration.ofSeconds(5)).until(() -> !published(sink, "queue.deleted").isEmpty());
    assertEquals(List.of(), published(sink, "queue.updated"));

    // A disabled subscription delivers nothing, while another one still does.
    String consumerSink = createQueue("consumer-sink");
    create(body("consumers", "ferry.consumers", consumerSink, "consumer.created"));
    admin.call(HttpMethod.PATCH, subscriptions + "/" + subscription.getString("id"), key,
        new JsonObject().put("enabled", false));
    createQueue("unheard");
    String consumed = createQueue("consumed-for-events");
    assertEquals(200, admin.post(base + "/queues/" + consumed + "/consumers", key,
        new JsonObject().put("type", "http_pull")).statusCode());
    await().atMost(Duration.ofSeconds(5)).until(() -> !published(consumerSink, "consumer.created").isEmpty());
    assertFalse(published(sink).stream().anyMatch(m -> m.getJsonObject("payload").getString("queue_name")
        .equals("unheard")));
  }

  @Test
  void retriesWhileMessagingRefusesThenDelivers() throws Exception {
    String sink = createQueue("retry-sink");
    create(body("retry", "ferry.queues", sink, "queue.created"));
    admin.messaging.failOn(Addresses.MESSAGING_PUBLISH);
    try {
      createQueue("retried");
      await().atMost(Duration.ofSeconds(5)).until(() -> published(sink, "queue.created").stream()
          .anyMatch(m -> m.getJsonObject("payload").getString("queue_name").equals("retried")));
    } finally {
      admin.messaging.failOn(null);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> published(sink, "queue.created").stream()
        .filter(m -> m.getJsonObject("payload").getString("queue_name").equals("retried")).count() >= 2);
  }

  @Test
  void perMessageEventsAboutEventFedQueuesAreNotDelivered() throws Exception {
    String sink = createQueue("loop-sink");
    create(body("loop", "ferry.consumers", sink, "message.dead_lettered"));
    // Delivered messages that fail in the sink move on to its dead-letter queue: that one is event-fed too.
    assertEquals(200, admin.post(base + "/queues/" + sink + "/consumers", key, new JsonObject()
        .put("type", "http_pull").put("dead_letter_queue", "loop-sink-dead")).statusCode());
    String sinkDead = admin.get(base + "/queues?per_page=1000", key).bodyAsJsonObject().getJsonArray("result")
        .stream().map(q -> (JsonObject) q).filter(q -> q.getString("queue_name").equals("loop-sink-dead"))
        .findFirst().orElseThrow().getString("queue_id");
    String ordinary = createQueue("loop-ordinary");

    for (String queueId : List.of(sink, sinkDead, ordinary)) {
      FerryEvents.announce(admin.node.vertx(), new FerryEvent(Ids.newId(), "message.dead_lettered",
          admin.defaultAccountId(), Ids.newId(), System.currentTimeMillis(),
          new JsonObject().put("queue_id", queueId).put("message_id", Ids.newId())));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !published(sink, "message.dead_lettered").isEmpty());
    assertEquals(List.of(ordinary), published(sink, "message.dead_lettered").stream()
        .map(m -> m.getJsonObject("payload").getString("queue_id")).toList());
  }

  @Test
  void accountsAndScopesConfineSubscriptions() throws Exception {
    String dest = createQueue("confined-sink");
    String otherDest = createQueue("confined-other");
    JsonObject mine = create(body("confined", "ferry.queues", dest, "queue.created"));
    JsonObject theOther = create(body("confined-2", "ferry.queues", otherDest, "queue.deleted"));

    TestAccounts.Account stranger = admin.account("subscription-stranger");
    String theirs = "/client/v4/accounts/" + stranger.id() + "/event_subscriptions/subscriptions";
    assertError(admin.get(theirs + "/" + mine.getString("id"), stranger.key()),
        CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.call(HttpMethod.DELETE, theirs + "/" + mine.getString("id"), stranger.key(), null),
        CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.post(theirs, stranger.key(), body("steal", "ferry.listeners", dest,
        "listener.created")), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertEquals(List.of(), ids(admin.get(theirs, stranger.key())));
    assertError(admin.get(subscriptions, stranger.key()), CLOUDFLARE, ErrorCode.FORBIDDEN, "account");

    String reader = TestAccounts.scopedKey(admin, key, "queues", "read", "confined-sink");
    assertEquals(mine, result(admin.get(subscriptions + "/" + mine.getString("id"), reader)));
    assertError(admin.get(subscriptions + "/" + theOther.getString("id"), reader),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "queue");
    List<String> visible = ids(admin.get(subscriptions + "?per_page=1000", reader));
    assertTrue(visible.contains(mine.getString("id")));
    assertFalse(visible.contains(theOther.getString("id")));
    assertError(admin.post(subscriptions, reader, body("r", "ferry.consumers", dest, "consumer.created")),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "write");

    // A grant for the destination alone would copy events about every other queue into it.
    String destinationOnly = TestAccounts.scopedKey(admin, key, "queues", "write", dest);
    assertError(admin.post(subscriptions, destinationOnly,
        body("w", "ferry.consumers", dest, "consumer.created")), CLOUDFLARE, ErrorCode.FORBIDDEN, "events:read");
    assertError(admin.call(HttpMethod.PATCH, subscriptions + "/" + mine.getString("id"), destinationOnly,
        new JsonObject().put("events", new JsonArray().add("queue.deleted"))),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "events:read");
    String confinedEvents = admin.post("/v1/api_keys", key, new JsonObject().put("name", "confined-events")
        .put("scopes", new JsonArray().add("queues:write:" + dest).add("events:read:" + dest)))
        .bodyAsJsonObject().getJsonObject("api_key").getString("key");
    assertError(admin.post(subscriptions, confinedEvents,
        body("w", "ferry.consumers", dest, "consumer.created")), CLOUDFLARE, ErrorCode.FORBIDDEN, "events:read");
    assertEquals(List.of("queue.created"), result(admin.get(subscriptions + "/" + mine.getString("id"), key))
        .getJsonArray("events").getList(), "refused changes change nothing");
    String writer = admin.post("/v1/api_keys", key, new JsonObject().put("name", "subscriber")
        .put("scopes", new JsonArray().add("queues:write:" + dest).add("events:read:*")))
        .bodyAsJsonObject().getJsonObject("api_key").getString("key");
    HttpResponse<Buffer> created = admin.post(subscriptions, writer,
        body("w", "ferry.consumers", dest, "consumer.created"));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertError(admin.post(subscriptions, writer, body("w2", "ferry.consumers", otherDest,
        "consumer.created")), CLOUDFLARE, ErrorCode.FORBIDDEN, "queue");
    assertError(admin.call(HttpMethod.PATCH, subscriptions + "/" + mine.getString("id"), writer,
        new JsonObject().put("destination", new JsonObject().put("type", "queues.queue").put("queue_id", otherDest))),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "queue");
  }
}
