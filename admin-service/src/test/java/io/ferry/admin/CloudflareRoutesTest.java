package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.CLOUDFLARE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.contracts.testkit.DialectAssertions.assertExactError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudflareRoutesTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String key = admin.rootKey();
  private final String base = "/client/v4/accounts/" + admin.accountId();

  @Test
  void createsQueueWithDefaultsAndCommandsMessaging() throws Exception {
    HttpResponse<Buffer> response = admin.post(base + "/queues", key, new JsonObject().put("queue_name", "orders"));
    assertEquals(200, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(true, body.getBoolean("success"));
    assertEquals(new JsonArray(), body.getJsonArray("errors"));
    assertEquals(new JsonArray(), body.getJsonArray("messages"));
    JsonObject queue = body.getJsonObject("result");
    assertTrue(Ids.isValid(queue.getString("queue_id")));
    assertEquals("orders", queue.getString("queue_name"));
    assertTrue(queue.getString("created_on").endsWith("Z"));
    assertEquals(new JsonArray(), queue.getJsonArray("producers"));
    assertEquals(0, queue.getInteger("producers_total_count"));
    assertEquals(new JsonArray(), queue.getJsonArray("consumers"));
    assertEquals(0, queue.getInteger("consumers_total_count"));
    assertEquals(new JsonObject().put("delivery_delay", 0).put("delivery_paused", false)
        .put("message_retention_period", 345_600), queue.getJsonObject("settings"));

    QueueInfo commanded = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .filter(q -> q.id().equals(queue.getString("queue_id"))).findFirst().orElseThrow();
    assertEquals(admin.defaultAccountId(), commanded.accountId());
    assertEquals("orders", commanded.name());
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("queue.created").stream()
        .anyMatch(e -> e.resourceId().equals(queue.getString("queue_id"))
            && e.payload().getString("queue_name").equals("orders")));
  }

  @Test
  void createsQueueWithSettingsUnderBothPrefixes() throws Exception {
    JsonObject settings = new JsonObject().put("delivery_delay", 30).put("delivery_paused", true)
        .put("message_retention_period", 3600);
    HttpResponse<Buffer> response = admin.post("/accounts/" + admin.defaultAccountId() + "/queues", key,
        new JsonObject().put("queue_name", "with.settings_~/x-1").put("settings", settings));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject queue = response.bodyAsJsonObject().getJsonObject("result");
    assertEquals(settings, queue.getJsonObject("settings"));
    HttpResponse<Buffer> viaSdkPrefix = admin.get(base + "/queues/" + queue.getString("queue_id"), key);
    assertEquals(200, viaSdkPrefix.statusCode());
    assertEquals(settings, viaSdkPrefix.bodyAsJsonObject().getJsonObject("result").getJsonObject("settings"));
  }

  @Test
  void rejectsBadQueueInputNamingTheField() throws Exception {
    assertError(admin.post(base + "/queues", key, new JsonObject()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "queue_name");
    assertError(admin.post(base + "/queues", key, new JsonObject().put("queue_name", 5)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "queue_name");
    assertError(admin.post(base + "/queues", key, new JsonObject().put("queue_name", "bad name")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "queue_name");
    assertError(admin.post(base + "/queues", key, new JsonObject().put("queue_name", "x".repeat(129))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "queue_name");
    assertError(admin.post(base + "/queues", key, new JsonObject().put("queue_name", "s1")
        .put("settings", new JsonObject().put("delivery_delay", 43_201))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.delivery_delay");
    assertError(admin.post(base + "/queues", key, new JsonObject().put("queue_name", "s2")
        .put("settings", new JsonObject().put("message_retention_period", 59))), CLOUDFLARE, ErrorCode.INVALID_FIELD,
        "settings.message_retention_period");
    assertError(admin.post(base + "/queues", key, new JsonObject().put("queue_name", "s3")
        .put("settings", new JsonObject().put("delivery_paused", "yes"))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.delivery_paused");
    assertError(admin.post(base + "/queues", key, new JsonObject().put("queue_name", "s4")
        .put("settings", "fast")), CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings");
    assertError(admin.post(base + "/queues", key, "{\"queue_name\":"), CLOUDFLARE, ErrorCode.MALFORMED_JSON, "JSON");
    assertError(admin.post(base + "/queues", key, "[1,2]"), CLOUDFLARE, ErrorCode.INVALID_FIELD, "object");
    HttpResponse<Buffer> list = admin.get(base + "/queues?per_page=1000", key);
    for (Object queue : list.bodyAsJsonObject().getJsonArray("result")) {
      assertFalse(((JsonObject) queue).getString("queue_name").matches("s[1-4]"), "bad input changed nothing");
    }
  }

  @Test
  void duplicateNameIsConflict() throws Exception {
    admin.cloudflareQueue("twice");
    assertError(admin.post(base + "/queues", key, new JsonObject().put("queue_name", "twice")),
        CLOUDFLARE, ErrorCode.NAME_TAKEN, "twice");
  }

  @Test
  void authIsRequiredAndConfinedToTheCallersAccount() throws Exception {
    assertError(admin.get(base + "/queues", null), CLOUDFLARE, ErrorCode.UNAUTHENTICATED, "API key");
    assertError(admin.get(base + "/queues", "fry_wrong"), CLOUDFLARE, ErrorCode.UNAUTHENTICATED, "not valid");
    String other = "/client/v4/accounts/" + Ids.newId();
    assertError(admin.get(other + "/queues", key), CLOUDFLARE, ErrorCode.FORBIDDEN, "account");
    assertError(admin.post(other + "/queues", key, new JsonObject().put("queue_name", "sneaky")),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "account");
    assertError(admin.get("/accounts/" + Ids.newId() + "/queues/" + Ids.newId(), key),
        CLOUDFLARE, ErrorCode.FORBIDDEN, "account");
  }

  @Test
  void listsAccountsOfTheCaller() throws Exception {
    for (String path : new String[] {"/client/v4/accounts", "/accounts"}) {
      HttpResponse<Buffer> response = admin.get(path, key);
      assertEquals(200, response.statusCode());
      JsonArray result = response.bodyAsJsonObject().getJsonArray("result");
      assertEquals(1, result.size());
      JsonObject account = result.getJsonObject(0);
      assertEquals(admin.defaultAccountId(), account.getString("id"));
      assertEquals("default", account.getString("name"));
      assertEquals("standard", account.getString("type"));
      assertTrue(account.getString("created_on").endsWith("Z"));
      assertEquals(new JsonObject().put("page", 1).put("per_page", 20).put("count", 1).put("total_count", 1)
          .put("total_pages", 1), response.bodyAsJsonObject().getJsonObject("result_info"));
      assertEquals(new JsonArray(), admin.get(path + "?page=2", key).bodyAsJsonObject().getJsonArray("result"),
          "a page past the end is empty, which ends the SDK's page iteration");
    }
    assertError(admin.get("/accounts?per_page=0", key), CLOUDFLARE, ErrorCode.INVALID_FIELD, "per_page");
    assertError(admin.get("/accounts", null), CLOUDFLARE, ErrorCode.UNAUTHENTICATED, "API key");
  }

  @Test
  void listsQueuesByPage() throws Exception {
    HttpResponse<Buffer> before = admin.get(base + "/queues?per_page=1000", key);
    int total = before.bodyAsJsonObject().getJsonObject("result_info").getInteger("total_count") + 3;
    admin.cloudflareQueue("page-a");
    admin.cloudflareQueue("page-b");
    admin.cloudflareQueue("page-c");
    int lastPage = (total + 1) / 2;
    HttpResponse<Buffer> response = admin.get(base + "/queues?page=" + lastPage + "&per_page=2", key);
    assertEquals(200, response.statusCode());
    JsonObject info = response.bodyAsJsonObject().getJsonObject("result_info");
    assertEquals(lastPage, info.getInteger("page"));
    assertEquals(2, info.getInteger("per_page"));
    assertEquals(total, info.getInteger("total_count"));
    JsonArray result = response.bodyAsJsonObject().getJsonArray("result");
    assertEquals(total % 2 == 0 ? 2 : 1, info.getInteger("count"));
    assertEquals(info.getInteger("count"), result.size());
    assertEquals("page-c", result.getJsonObject(result.size() - 1).getString("queue_name"));
    HttpResponse<Buffer> beyond = admin.get(base + "/queues?page=" + (lastPage + 5) + "&per_page=2", key);
    assertEquals(0, beyond.bodyAsJsonObject().getJsonArray("result").size());
    assertError(admin.get(base + "/queues?per_page=0", key), CLOUDFLARE, ErrorCode.INVALID_FIELD, "per_page");
    assertError(admin.get(base + "/queues?page=abc", key), CLOUDFLARE, ErrorCode.INVALID_FIELD, "page");
  }

  @Test
  void getAndDeleteReportMalformedAndMissingQueues() throws Exception {
    assertError(admin.get(base + "/queues/not-an-id", key), CLOUDFLARE, ErrorCode.QUEUE_ID_MALFORMED, "queue_id");
    assertError(admin.get(base + "/queues/" + Ids.newId(), key), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertError(admin.call(HttpMethod.DELETE, base + "/queues/ABCDEF", key, null),
        CLOUDFLARE, ErrorCode.QUEUE_ID_MALFORMED, "queue_id");
    assertError(admin.call(HttpMethod.DELETE, base + "/queues/" + Ids.newId(), key, null),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
  }

  @Test
  void deleteRemovesQueueConsumersAndListeners() throws Exception {
    String id = admin.cloudflareQueue("doomed").getString("queue_id");
    assertEquals(200, admin.post(base + "/queues/" + id + "/consumers", key,
        new JsonObject().put("type", "http_pull")).statusCode());
    assertEquals(200, admin.post("/v1/queues/" + id + "/listeners", key, new JsonObject().put("name", "l")
        .put("notify_url", "https://93.184.215.14/n").put("liveness_url", "https://93.184.215.14/l")).statusCode());

    HttpResponse<Buffer> deleted = admin.call(HttpMethod.DELETE, base + "/queues/" + id, key, null);
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    JsonObject body = deleted.bodyAsJsonObject();
    assertEquals(true, body.getBoolean("success"));
    assertTrue(body.containsKey("result") && body.getValue("result") == null);
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_QUEUE_DELETE, ResourceRef.class)
        .contains(new ResourceRef(admin.defaultAccountId(), id)));
    assertError(admin.get(base + "/queues/" + id, key), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, id);
    assertError(admin.get(base + "/queues/" + id + "/consumers", key), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, id);
    assertFalse(admin.get("/v1/listeners", key).bodyAsJsonObject().getJsonArray("listeners").stream()
        .anyMatch(l -> ((JsonObject) l).getString("queue_id").equals(id)));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> admin.events("queue.deleted").stream().anyMatch(e -> e.resourceId().equals(id))
            && admin.events("listener.deleted").stream().anyMatch(e -> e.payload().getString("queue_id").equals(id))
            && admin.events("consumer.deleted").stream().anyMatch(e -> e.payload().getString("queue_id").equals(id)));
    // The name is free again.
    admin.cloudflareQueue("doomed");
  }

  @Test
  void createsPullConsumerWithDefaults() throws Exception {
    JsonObject queue = admin.cloudflareQueue("pulled");
    String id = queue.getString("queue_id");
    HttpResponse<Buffer> response = admin.post(base + "/queues/" + id + "/consumers", key,
        new JsonObject().put("type", "http_pull"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject consumer = response.bodyAsJsonObject().getJsonObject("result");
    assertTrue(Ids.isValid(consumer.getString("consumer_id")));
    assertEquals("http_pull", consumer.getString("type"));
    assertEquals("pulled", consumer.getString("queue_name"));
    assertEquals("", consumer.getString("dead_letter_queue"));
    assertTrue(consumer.getString("created_on").endsWith("Z"));
    assertEquals(new JsonObject().put("batch_size", 5).put("max_retries", 3).put("retry_delay", 0)
        .put("visibility_timeout_ms", 30_000), consumer.getJsonObject("settings"));

    SubscriptionSpec spec = admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_UPSERT,
        SubscriptionSpec.class).stream().filter(s -> s.id().equals(consumer.getString("consumer_id")))
        .findFirst().orElseThrow();
    assertEquals(new SubscriptionSpec(consumer.getString("consumer_id"), id, SubscriptionSpec.Kind.PULL_CONSUMER,
        5, 3, 0, 30_000, null), spec);

    JsonObject listed = admin.get(base + "/queues/" + id + "/consumers", key).bodyAsJsonObject();
    assertEquals(new JsonArray().add(consumer), listed.getJsonArray("result"));
    JsonObject withConsumer = admin.get(base + "/queues/" + id, key).bodyAsJsonObject().getJsonObject("result");
    assertEquals(1, withConsumer.getInteger("consumers_total_count"));
    assertEquals(consumer, withConsumer.getJsonArray("consumers").getJsonObject(0));
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("consumer.created").stream()
        .anyMatch(e -> e.resourceId().equals(consumer.getString("consumer_id"))));

    assertError(admin.post(base + "/queues/" + id + "/consumers", key,
        new JsonObject().put("type", "http_pull")), CLOUDFLARE, ErrorCode.CONSUMER_CONFLICT, "http_pull");
  }

  @Test
  void createsConsumerWithSettingsAndMissingDeadLetterQueue() throws Exception {
    String id = admin.cloudflareQueue("with-dlq").getString("queue_id");
    JsonObject settings = new JsonObject().put("batch_size", 10).put("max_retries", 1).put("retry_delay", 7)
        .put("visibility_timeout_ms", 5_000);
    HttpResponse<Buffer> response = admin.post(base + "/queues/" + id + "/consumers", key, new JsonObject()
        .put("type", "http_pull").put("dead_letter_queue", "with-dlq-dead").put("settings", settings));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject consumer = response.bodyAsJsonObject().getJsonObject("result");
    assertEquals("with-dlq-dead", consumer.getString("dead_letter_queue"));
    assertEquals(settings, consumer.getJsonObject("settings"));

    QueueInfo dlq = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .filter(q -> q.name().equals("with-dlq-dead")).findFirst().orElseThrow();
    assertEquals(200, admin.get(base + "/queues/" + dlq.id(), key).statusCode());
    SubscriptionSpec spec = admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_UPSERT,
        SubscriptionSpec.class).stream().filter(s -> s.id().equals(consumer.getString("consumer_id")))
        .findFirst().orElseThrow();
    assertEquals(new SubscriptionSpec(consumer.getString("consumer_id"), id, SubscriptionSpec.Kind.PULL_CONSUMER,
        10, 1, 7, 5_000, dlq.id()), spec);

    // Deleting the dead-letter queue detaches it from the consumer.
    assertEquals(200, admin.call(HttpMethod.DELETE, base + "/queues/" + dlq.id(), key, null).statusCode());
    JsonObject after = admin.get(base + "/queues/" + id + "/consumers", key).bodyAsJsonObject()
        .getJsonArray("result").getJsonObject(0);
    assertEquals("", after.getString("dead_letter_queue"));
  }

  @Test
  void reusesAnExistingDeadLetterQueue() throws Exception {
    String dlqId = admin.cloudflareQueue("existing-dead").getString("queue_id");
    String id = admin.cloudflareQueue("uses-existing").getString("queue_id");
    int upserts = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).size();
    HttpResponse<Buffer> response = admin.post(base + "/queues/" + id + "/consumers", key, new JsonObject()
        .put("type", "http_pull").put("dead_letter_queue", "existing-dead"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(upserts, admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).size());
    String consumerId = response.bodyAsJsonObject().getJsonObject("result").getString("consumer_id");
    assertEquals(dlqId, admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_UPSERT, SubscriptionSpec.class)
        .stream().filter(s -> s.id().equals(consumerId)).findFirst().orElseThrow().deadLetterQueueId());
  }

  @Test
  void storesAndEchoesEveryDocumentedConsumerSetting() throws Exception {
    String id = admin.cloudflareQueue("all-settings").getString("queue_id");
    String path = base + "/queues/" + id + "/consumers";
    JsonObject settings = new JsonObject().put("batch_size", 10).put("max_retries", 1).put("retry_delay", 7)
        .put("visibility_timeout_ms", 5_000).put("max_wait_time_ms", 2_500).put("max_concurrency", 10);
    HttpResponse<Buffer> created = admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", settings));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject consumer = created.bodyAsJsonObject().getJsonObject("result");
    String consumerId = consumer.getString("consumer_id");
    assertEquals(settings, consumer.getJsonObject("settings"));
    assertEquals(settings, admin.get(path + "/" + consumerId, key).bodyAsJsonObject().getJsonObject("result")
        .getJsonObject("settings"));
    // Pulls have no batch window and no invocations to bound: messaging gets the pull settings only.
    assertEquals(new SubscriptionSpec(consumerId, id, SubscriptionSpec.Kind.PULL_CONSUMER, 10, 1, 7, 5_000, null),
        lastSpec(consumerId));

    // PUT overwrites: left out (or null, Cloudflare's "platform maximum") means not set, and reads back absent.
    HttpResponse<Buffer> replaced = admin.call(HttpMethod.PUT, path + "/" + consumerId, key, new JsonObject()
        .put("type", "http_pull").put("settings", new JsonObject().put("batch_size", 20)
            .put("max_concurrency", (Object) null)));
    assertEquals(200, replaced.statusCode(), replaced.bodyAsString());
    assertEquals(new JsonObject().put("batch_size", 20).put("max_retries", 3).put("retry_delay", 0)
        .put("visibility_timeout_ms", 30_000), replaced.bodyAsJsonObject().getJsonObject("result")
        .getJsonObject("settings"));
  }

  @Test
  void unknownConsumerFieldsAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
    String id = admin.cloudflareQueue("unknown-settings").getString("queue_id");
    String path = base + "/queues/" + id + "/consumers";
    assertExactError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("max_batch_timeout", 5))),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
        "settings.max_batch_timeout: unknown field; the API calls it max_wait_time_ms (milliseconds)"));
    assertExactError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("batch_timeout", 5))),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
        "settings.batch_timeout: unknown field; Ferry accepts batch_size, max_retries, retry_delay, "
            + "visibility_timeout_ms, max_wait_time_ms, max_concurrency"));
    assertExactError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("max_retries", 5)),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
        "max_retries: unknown field; Ferry accepts type, dead_letter_queue, "
            + "settings, consumer_id, queue_id, queue_name, created_on"));
    assertExactError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("max_wait_time_ms", 60_001))),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
        "settings.max_wait_time_ms: must be between 0 and 60000"));
    assertExactError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("max_concurrency", 0))),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
        "settings.max_concurrency: must be between 1 and 250"));
    assertEquals(0, admin.get(path, key).bodyAsJsonObject().getJsonArray("result").size());

    // A consumer read back and sent again (read-only fields included) is accepted; a bad PUT changes nothing.
    JsonObject consumer = admin.post(path, key, new JsonObject().put("type", "http_pull")).bodyAsJsonObject()
        .getJsonObject("result");
    String consumerPath = path + "/" + consumer.getString("consumer_id");
    HttpResponse<Buffer> roundTrip = admin.call(HttpMethod.PUT, consumerPath, key, consumer);
    assertEquals(200, roundTrip.statusCode(), roundTrip.bodyAsString());
    assertExactError(admin.call(HttpMethod.PUT, consumerPath, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("batch_size", 9).put("max_batch_size", 9))),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
        "settings.max_batch_size: unknown field; the API calls it batch_size"));
    assertEquals(consumer, admin.get(consumerPath, key).bodyAsJsonObject().getJsonObject("result"));
  }

  private SubscriptionSpec lastSpec(String consumerId) {
    List<SubscriptionSpec> specs = admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_UPSERT,
        SubscriptionSpec.class).stream().filter(s -> s.id().equals(consumerId)).toList();
    return specs.get(specs.size() - 1);
  }

  @Test
  void rejectsBadConsumers() throws Exception {
    String id = admin.cloudflareQueue("consumer-errors").getString("queue_id");
    String path = base + "/queues/" + id + "/consumers";
    HttpResponse<Buffer> worker = admin.post(path, key, new JsonObject().put("type", "worker"));
    assertError(worker, CLOUDFLARE, ErrorCode.INVALID_FIELD, "http_pull");
    assertTrue(worker.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("message")
        .contains("webhook listener"));
    assertError(admin.post(path, key, new JsonObject()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "type");
    assertError(admin.post(path, key, new JsonObject().put("type", "push")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "type");
    assertError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("batch_size", 101))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.batch_size");
    assertError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("max_retries", -1))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.max_retries");
    assertError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("visibility_timeout_ms", 999))), CLOUDFLARE, ErrorCode.INVALID_FIELD,
        "settings.visibility_timeout_ms");
    assertError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("retry_delay", 1.5))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "settings.retry_delay");
    assertError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("dead_letter_queue", "no spaces")), CLOUDFLARE, ErrorCode.INVALID_FIELD, "dead_letter_queue");
    assertError(admin.post(path, key, new JsonObject().put("type", "http_pull")
        .put("dead_letter_queue", "consumer-errors")), CLOUDFLARE, ErrorCode.INVALID_FIELD, "dead_letter_queue");
    assertError(admin.post(base + "/queues/xyz/consumers", key,
        new JsonObject().put("type", "http_pull")), CLOUDFLARE, ErrorCode.QUEUE_ID_MALFORMED, "queue_id");
    assertError(admin.post(base + "/queues/" + Ids.newId() + "/consumers", key,
        new JsonObject().put("type", "http_pull")), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "not found");
    assertEquals(0, admin.get(path, key).bodyAsJsonObject().getJsonArray("result").size());
    assertNull(admin.messaging.payloads(Addresses.MESSAGING_QUEUE_UPSERT, QueueInfo.class).stream()
        .filter(q -> q.name().equals("no spaces")).findFirst().orElse(null));
  }

  @Test
  void purgeNeedsExplicitConsentThenCommandsMessagingAndReportsStatus() throws Exception {
    JsonObject queue = admin.cloudflareQueue("to-purge");
    String id = queue.getString("queue_id");
    HttpResponse<Buffer> before = admin.get(base + "/queues/" + id + "/purge", key);
    assertEquals(200, before.statusCode(), before.bodyAsString());
    assertEquals("false", before.bodyAsJsonObject().getJsonObject("result").getString("completed"));
    assertFalse(before.bodyAsJsonObject().getJsonObject("result").containsKey("started_at"),
        "never purged: no started_at (the SDK types it as an optional string, not null)");

    int commandsBefore = admin.messaging.payloads(Addresses.MESSAGING_QUEUE_PURGE, ResourceRef.class).size();
    assertError(admin.post(base + "/queues/" + id + "/purge", key, new JsonObject()),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "delete_messages_permanently");
    assertError(admin.post(base + "/queues/" + id + "/purge", key,
        new JsonObject().put("delete_messages_permanently", "yes")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "delete_messages_permanently");
    assertError(admin.post(base + "/queues/" + Ids.newId() + "/purge", key,
        new JsonObject().put("delete_messages_permanently", true)), CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND, "");
    assertEquals(commandsBefore, admin.messaging.payloads(Addresses.MESSAGING_QUEUE_PURGE, ResourceRef.class).size(),
        "a refused purge commands nothing");

    HttpResponse<Buffer> purged = admin.post(base + "/queues/" + id + "/purge", key,
        new JsonObject().put("delete_messages_permanently", true));
    assertEquals(200, purged.statusCode(), purged.bodyAsString());
    assertEquals(id, purged.bodyAsJsonObject().getJsonObject("result").getString("queue_id"));
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_QUEUE_PURGE, ResourceRef.class).stream()
        .anyMatch(ref -> ref.id().equals(id)));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> admin.events("queue.purged").stream().anyMatch(e -> e.resourceId().equals(id)));

    JsonObject status = admin.get(base + "/queues/" + id + "/purge", key).bodyAsJsonObject().getJsonObject("result");
    assertEquals("true", status.getString("completed"));
    assertTrue(status.getString("started_at").endsWith("Z"), status.encode());
  }
}
