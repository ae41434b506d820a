package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.CLOUDFLARE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PUT / PATCH of queues and the consumer-by-id routes of the Cloudflare dialect, over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudflareEditRoutesTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String key = admin.rootKey();
  private final String base = "/client/v4/accounts/" + admin.accountId();

  private HttpResponse<Buffer> put(String path, Object body) throws Exception {
    return admin.call(HttpMethod.PUT, path, key, body);
  }

  private HttpResponse<Buffer> patch(String path, Object body) throws Exception {
    return admin.call(HttpMethod.PATCH, path, key, body);
  }

  private static JsonObject settings(int delay, boolean paused, int retention) {
    return new JsonObject().put("delivery_delay", delay).put("delivery_paused", paused)
        .put("message_retention_period", retention);
  }

  private static JsonObject result(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(true, response.bodyAsJsonObject().getBoolean("success"));
    return response.bodyAsJsonObject().getJsonObject("result");
  }

  private QueueInfo lastUpsert(String queueId) {
    return admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .filter(q -> q.id().equals(queueId)).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void putOverwritesNameAndSettingsResettingWhatItLeavesOut() throws Exception {
    JsonObject queue = admin.cloudflareQueue("put-me", settings(30, true, 3600));
    String id = queue.getString("queue_id");
    JsonObject updated = result(put(base + "/queues/" + id, new JsonObject().put("queue_name", "put-renamed")
        .put("settings", new JsonObject().put("delivery_delay", 5))));
    assertEquals(id, updated.getString("queue_id"));
    assertEquals("put-renamed", updated.getString("queue_name"));
    assertEquals(settings(5, false, 345_600), updated.getJsonObject("settings"));
    assertEquals(queue.getString("created_on"), updated.getString("created_on"));
    assertFalse(Instant.parse(updated.getString("modified_on"))
        .isBefore(Instant.parse(queue.getString("modified_on"))));

    QueueInfo commanded = lastUpsert(id);
    assertEquals("put-renamed", commanded.name());
    assertEquals(new QueueSettings(5, false, 345_600), commanded.settings());
    await().atMost(Duration.ofSeconds(5))
        .until(() -> admin.events("queue.updated").stream().anyMatch(e -> e.resourceId().equals(id)
            && e.payload().getString("queue_name").equals("put-renamed")
            && e.payload().getString("previous_queue_name").equals("put-me")
            && e.payload().getJsonObject("settings").getInteger("delivery_delay") == 5));
    assertEquals(updated, result(admin.get("/accounts/" + admin.defaultAccountId() + "/queues/" + id, key)));

    // Without queue_name the name stays; without settings every setting is back to its default.
    JsonObject sameName = result(put("/accounts/" + admin.defaultAccountId() + "/queues/" + id, new JsonObject()));
    assertEquals("put-renamed", sameName.getString("queue_name"));
    assertEquals(settings(0, false, 345_600), sameName.getJsonObject("settings"));
    admin.cloudflareQueue("put-me"); // the old name is free again
  }

  @Test
  void patchChangesOnlyWhatItNames() throws Exception {
    String id = admin.cloudflareQueue("patch-me", settings(30, true, 3600)).getString("queue_id");
    JsonObject resumed = result(patch(base + "/queues/" + id, new JsonObject()
        .put("settings", new JsonObject().put("delivery_paused", false))));
    assertEquals(settings(30, false, 3600), resumed.getJsonObject("settings"));
    assertEquals("patch-me", resumed.getString("queue_name"));
    JsonObject renamed = result(patch(base + "/queues/" + id, new JsonObject().put("queue_name", "patched")));
    assertEquals("patched", renamed.getString("queue_name"));
    assertEquals(settings(30, false, 3600), renamed.getJsonObject("settings"));
    assertEquals(new QueueSettings(30, false, 3600), lastUpsert(id).settings());

    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("queue.updated").stream()
        .filter(e -> e.resourceId().equals(id)).count() == 2);
    int upserts = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).size();
    assertEquals(renamed, result(patch(base + "/queues/" + id, new JsonObject())));
    assertEquals(upserts, admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).size(),
        "a change that changes nothing commands nothing");
  }

  @Test
  void editsRefuseBadInputAndChangeNothing() throws Exception {
    JsonObject queue = admin.cloudflareQueue("edit-errors", settings(10, false, 600));
    String path = base + "/queues/" + queue.getString("queue_id");
    assertError(put(path, new JsonObject().put("settings", new JsonObject().put("delivery_delay", 43_201))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.delivery_delay");
    assertError(patch(path, new JsonObject().put("settings",
        new JsonObject().put("message_retention_period", 59))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.message_retention_period");
    assertError(patch(path, new JsonObject().put("settings",
        new JsonObject().put("delivery_paused", "no"))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.delivery_paused");
    assertError(patch(path, new JsonObject().put("settings", 7)), CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings");
    assertError(put(path, new JsonObject().put("queue_name", "bad name")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "queue_name");
    assertError(patch(path, new JsonObject().put("queue_name", 5)), CLOUDFLARE, ErrorCode.INVALID_FIELD, "queue_name");
    assertError(patch(path, new JsonObject().put("queue_name", "")), CLOUDFLARE, ErrorCode.INVALID_FIELD, "queue_name");
    assertError(put(path, "[1]"), CLOUDFLARE, ErrorCode.INVALID_FIELD, "object");
    assertError(patch(path, "{\"queue_name\":"), CLOUDFLARE, ErrorCode.MALFORMED_JSON, "JSON");
    assertError(put(base + "/queues/not-an-id", new JsonObject()),
        CLOUDFLARE, ErrorCode.QUEUE_ID_MALFORMED, "queue_id");
    assertError(patch(base + "/queues/" + Ids.newId(), new JsonObject()),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertError(put(base + "/queues/" + Ids.newId(), new JsonObject()),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertEquals(queue, result(admin.get(path, key)));
  }

  @Test
  void renamingToATakenNameIsAConflict() throws Exception {
    JsonObject queue = admin.cloudflareQueue("rename-a");
    admin.cloudflareQueue("rename-b");
    String path = base + "/queues/" + queue.getString("queue_id");
    assertError(put(path, new JsonObject().put("queue_name", "rename-b")),
        CLOUDFLARE, ErrorCode.NAME_TAKEN, "rename-b");
    assertError(patch(path, new JsonObject().put("queue_name", "rename-b")),
        CLOUDFLARE, ErrorCode.NAME_TAKEN, "rename-b");
    assertEquals(queue, result(admin.get(path, key)));
  }

  @Test
  void aRefusedMessagingCommandUndoesTheEdit() throws Exception {
    JsonObject queue = admin.cloudflareQueue("edit-undone", settings(10, false, 600));
    String path = base + "/queues/" + queue.getString("queue_id");
    admin.messaging.failOn(Addresses.MESSAGING_QUEUE_UPSERT);
    try {
      HttpResponse<Buffer> refused = patch(path, new JsonObject().put("queue_name", "edit-undone-2")
          .put("settings", new JsonObject().put("delivery_paused", true)));
      assertEquals(500, refused.statusCode(), refused.bodyAsString());
    } finally {
      admin.messaging.failOn(null);
    }
    assertEquals(queue, result(admin.get(path, key)));
    admin.cloudflareQueue("edit-undone-2"); // the name it did not get is still free
  }

  @Test
  void getsReplacesAndDeletesAConsumer() throws Exception {
    String queueId = admin.cloudflareQueue("consumed").getString("queue_id");
    JsonObject created = result(admin.post(base + "/queues/" + queueId + "/consumers", key,
        new JsonObject().put("type", "http_pull").put("settings", new JsonObject().put("max_retries", 7))));
    String consumerId = created.getString("consumer_id");
    String path = base + "/queues/" + queueId + "/consumers/" + consumerId;
    assertEquals(created, result(admin.get(path, key)));

    JsonObject replaced = result(put(path, new JsonObject().put("type", "http_pull")
        .put("dead_letter_queue", "consumed-dead").put("settings", new JsonObject().put("batch_size", 10))));
    assertEquals(consumerId, replaced.getString("consumer_id"));
    assertEquals(created.getString("created_on"), replaced.getString("created_on"));
    assertEquals("consumed-dead", replaced.getString("dead_letter_queue"));
    assertEquals(new JsonObject().put("batch_size", 10).put("max_retries", 3).put("retry_delay", 0)
        .put("visibility_timeout_ms", 30_000), replaced.getJsonObject("settings"), "PUT overwrites every setting");
    QueueInfo deadLetter = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .filter(q -> q.name().equals("consumed-dead")).findFirst().orElseThrow();
    SubscriptionSpec spec = admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_UPSERT, SubscriptionSpec.class)
        .stream().filter(s -> s.id().equals(consumerId)).reduce((a, b) -> b).orElseThrow();
    assertEquals(new SubscriptionSpec(consumerId, queueId, SubscriptionSpec.Kind.PULL_CONSUMER, 10, 3, 0, 30_000,
        deadLetter.id()), spec);
    assertEquals(replaced, result(admin.get(path, key)));
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("queue.created").stream()
        .anyMatch(e -> e.resourceId().equals(deadLetter.id())));

    HttpResponse<Buffer> deleted = admin.call(HttpMethod.DELETE, path, key, null);
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    JsonObject deletedBody = deleted.bodyAsJsonObject();
    assertTrue(deletedBody.containsKey("result") && deletedBody.getValue("result") == null);
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_DELETE, ResourceRef.class)
        .contains(new ResourceRef(admin.defaultAccountId(), consumerId)));
    assertError(admin.get(path, key), CLOUDFLARE, ErrorCode.NOT_FOUND, consumerId);
    assertEquals(0, admin.get(base + "/queues/" + queueId + "/consumers", key).bodyAsJsonObject()
        .getJsonArray("result").size());
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("consumer.deleted").stream()
        .anyMatch(e -> e.resourceId().equals(consumerId) && e.payload().getString("queue_id").equals(queueId)));
    assertError(admin.call(HttpMethod.DELETE, path, key, null), CLOUDFLARE, ErrorCode.NOT_FOUND, consumerId);
  }

  @Test
  void putCreatesTheConsumerWithTheGivenId() throws Exception {
    String queueId = admin.cloudflareQueue("put-consumer").getString("queue_id");
    String consumerId = Ids.newId();
    JsonObject created = result(put(base + "/queues/" + queueId + "/consumers/" + consumerId,
        new JsonObject().put("type", "http_pull")));
    assertEquals(consumerId, created.getString("consumer_id"));
    assertEquals("put-consumer", created.getString("queue_name"));
    assertEquals(new JsonObject().put("batch_size", 5).put("max_retries", 3).put("retry_delay", 0)
        .put("visibility_timeout_ms", 30_000), created.getJsonObject("settings"));
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_UPSERT, SubscriptionSpec.class).stream()
        .anyMatch(s -> s.id().equals(consumerId) && s.queueId().equals(queueId)));
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("consumer.created").stream()
        .anyMatch(e -> e.resourceId().equals(consumerId)));
    assertError(put(base + "/queues/" + queueId + "/consumers/" + Ids.newId(),
        new JsonObject().put("type", "http_pull")), CLOUDFLARE, ErrorCode.CONSUMER_CONFLICT, "http_pull");
  }

  // A consumer id is also a subscription id in messaging-service, where listeners' ids live too.
  @Test
  void putNeverTakesTheIdOfAListenerInAnyAccount() throws Exception {
    String listened = admin.cloudflareQueue("listened").getString("queue_id");
    HttpResponse<Buffer> listener = admin.post("/v1/queues/" + listened + "/listeners", key, new JsonObject()
        .put("name", "hook").put("notify_url", "https://93.184.216.34/n").put("liveness_url", "https://93.184.216.34/l"));
    assertEquals(200, listener.statusCode(), listener.bodyAsString());
    String listenerId = listener.bodyAsJsonObject().getJsonObject("listener").getString("id");
    String ownOther = admin.cloudflareQueue("listened-neighbour").getString("queue_id");
    TestAccounts.Account stranger = admin.account("consumer-id-thief");
    String theirBase = "/client/v4/accounts/" + stranger.id();
    HttpResponse<Buffer> theirQueue = admin.post(theirBase + "/queues", stranger.key(),
        new JsonObject().put("queue_name", "thief-queue"));
    String theirQueueId = result(theirQueue).getString("queue_id");
    int commandsBefore = admin.messaging.received.size();

    JsonObject pull = new JsonObject().put("type", "http_pull");
    assertError(admin.call(HttpMethod.PUT, theirBase + "/queues/" + theirQueueId + "/consumers/" + listenerId,
        stranger.key(), pull), CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
    assertError(put(base + "/queues/" + ownOther + "/consumers/" + listenerId, pull), CLOUDFLARE, ErrorCode.NOT_FOUND,
        "not found");
    assertTrue(admin.messaging.received.subList(commandsBefore, admin.messaging.received.size()).stream()
        .noneMatch(c -> c.payload() instanceof SubscriptionSpec s && s.id().equals(listenerId)
            || c.payload() instanceof ResourceRef r && r.id().equals(listenerId)),
        "messaging-service never hears of the listener's id: " + admin.messaging.received);
    assertEquals(0, admin.get(theirBase + "/queues/" + theirQueueId + "/consumers", stranger.key())
        .bodyAsJsonObject().getJsonArray("result").size());
    assertEquals(200, admin.get("/v1/queues/" + listened + "/listeners/" + listenerId, key).statusCode());
  }

  @Test
  void consumerRoutesRefuseBadInput() throws Exception {
    String queueId = admin.cloudflareQueue("consumer-by-id-errors").getString("queue_id");
    String otherQueueId = admin.cloudflareQueue("consumer-by-id-other").getString("queue_id");
    String otherConsumer = result(admin.post(base + "/queues/" + otherQueueId + "/consumers", key,
        new JsonObject().put("type", "http_pull"))).getString("consumer_id");
    String consumers = base + "/queues/" + queueId + "/consumers/";
    JsonObject pull = new JsonObject().put("type", "http_pull");

    assertError(admin.get(consumers + "nope", key), CLOUDFLARE, ErrorCode.INVALID_FIELD, "consumer_id");
    assertError(put(consumers + "NOPE", pull), CLOUDFLARE, ErrorCode.INVALID_FIELD, "consumer_id");
    assertError(admin.call(HttpMethod.DELETE, consumers + "x", key, null),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "consumer_id");
    assertError(admin.get(consumers + Ids.newId(), key), CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.call(HttpMethod.DELETE, consumers + Ids.newId(), key, null),
        CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
    // Another queue's consumer is not this queue's.
    assertError(admin.get(consumers + otherConsumer, key), CLOUDFLARE, ErrorCode.NOT_FOUND, otherConsumer);
    assertError(put(consumers + otherConsumer, pull), CLOUDFLARE, ErrorCode.NOT_FOUND, otherConsumer);
    assertError(admin.call(HttpMethod.DELETE, consumers + otherConsumer, key, null),
        CLOUDFLARE, ErrorCode.NOT_FOUND, otherConsumer);

    String id = Ids.newId();
    HttpResponse<Buffer> worker = put(consumers + id, new JsonObject().put("type", "worker"));
    assertError(worker, CLOUDFLARE, ErrorCode.INVALID_FIELD, "http_pull");
    assertTrue(worker.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("message")
        .contains("webhook listener"));
    assertError(put(consumers + id, new JsonObject()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "type");
    assertError(put(consumers + id, pull.copy().put("settings", new JsonObject().put("batch_size", 0))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.batch_size");
    assertError(put(consumers + id, pull.copy().put("settings",
        new JsonObject().put("visibility_timeout_ms", 43_200_001))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.visibility_timeout_ms");
    assertError(put(consumers + id, pull.copy().put("dead_letter_queue", "consumer-by-id-errors")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "dead_letter_queue");
    assertError(put(consumers + id, pull.copy().put("dead_letter_queue", 3)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "dead_letter_queue");
    assertError(put(consumers + id, "{"), CLOUDFLARE, ErrorCode.MALFORMED_JSON, "JSON");
    assertError(put(base + "/queues/" + Ids.newId() + "/consumers/" + id, pull),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertError(admin.get(base + "/queues/bad/consumers/" + id, key),
        CLOUDFLARE, ErrorCode.QUEUE_ID_MALFORMED, "queue_id");
    assertEquals(0, admin.get(base + "/queues/" + queueId + "/consumers", key).bodyAsJsonObject()
        .getJsonArray("result").size(), "refused requests created nothing");
  }

  @Test
  void deletingAQueueDeletesTheEventSubscriptionsIntoIt() throws Exception {
    String queueId = admin.cloudflareQueue("sink-to-delete").getString("queue_id");
    JsonObject subscription = result(admin.post(base + "/event_subscriptions/subscriptions", key, new JsonObject()
        .put("name", "into-doomed").put("source", new JsonObject().put("type", "ferry.queues"))
        .put("destination", new JsonObject().put("type", "queues.queue").put("queue_id", queueId))
        .put("events", new io.vertx.core.json.JsonArray().add("queue.created"))));
    assertEquals(200, admin.call(HttpMethod.DELETE, base + "/queues/" + queueId, key, null).statusCode());
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_QUEUE_DELETE, ResourceRef.class)
        .contains(new ResourceRef(admin.defaultAccountId(), queueId)), "messages go with the queue");
    assertError(admin.get(base + "/event_subscriptions/subscriptions/" + subscription.getString("id"), key),
        CLOUDFLARE, ErrorCode.NOT_FOUND, "not found");
  }

  @Test
  void scopesAndAccountsConfineEdits() throws Exception {
    JsonObject mine = admin.cloudflareQueue("scoped-edit");
    String path = base + "/queues/" + mine.getString("queue_id");
    String other = admin.cloudflareQueue("scoped-other").getString("queue_id");
    String reader = TestAccounts.scopedKey(admin, key, "queues", "read", "*");
    assertError(admin.call(HttpMethod.PATCH, path, reader, new JsonObject()), CLOUDFLARE, ErrorCode.FORBIDDEN, "write");
    String consumerId = result(admin.post(path + "/consumers", key, new JsonObject().put("type", "http_pull")))
        .getString("consumer_id");
    assertEquals(200, admin.get(path + "/consumers/" + consumerId, reader).statusCode());
    assertError(admin.call(HttpMethod.DELETE, path + "/consumers/" + consumerId, reader, null),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "write");

    String writer = TestAccounts.scopedKey(admin, key, "queues", "write", "scoped-edit");
    HttpResponse<Buffer> allowed = admin.call(HttpMethod.PATCH, path, writer,
        new JsonObject().put("settings", new JsonObject().put("delivery_delay", 3)));
    assertEquals(200, allowed.statusCode(), allowed.bodyAsString());
    assertError(admin.call(HttpMethod.PATCH, base + "/queues/" + other, writer, new JsonObject()),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "queue");
    assertError(admin.call(HttpMethod.PATCH, path, writer, new JsonObject().put("queue_name", "elsewhere")),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "queue");
    // A grant by id covers the queue whatever its name, not every name it could take.
    String byId = TestAccounts.scopedKey(admin, key, "queues", "write", mine.getString("queue_id"));
    assertError(admin.call(HttpMethod.PATCH, path, byId, new JsonObject().put("queue_name", "elsewhere")),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "queue");
    assertError(admin.call(HttpMethod.PUT, path, byId, new JsonObject().put("queue_name", "scoped-other")),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "queue");
    assertEquals(200, admin.call(HttpMethod.PATCH, path, byId, new JsonObject().put("queue_name", "scoped-edit"))
        .statusCode());
    assertEquals("scoped-edit", result(admin.get(path, key)).getString("queue_name"));

    TestAccounts.Account stranger = admin.account("edit-stranger");
    String theirBase = "/client/v4/accounts/" + stranger.id();
    assertError(admin.call(HttpMethod.PUT, theirBase + "/queues/" + mine.getString("queue_id"),
        stranger.key(), new JsonObject()), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertError(admin.get(theirBase + "/queues/" + mine.getString("queue_id") + "/consumers/" + consumerId,
        stranger.key()), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertError(admin.call(HttpMethod.PATCH, path, stranger.key(), new JsonObject()),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "account");
  }
}
