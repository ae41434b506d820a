package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ferry.contracts.model.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin-service routes driven exactly as the official Cloudflare TypeScript SDK drives them (same method,
 * path under the SDK base URL {@code /client/v4}, body and query), checking that every field the SDK's response
 * types declare is there with the JSON type the SDK expects.
 *
 * <p>Shapes from github.com/cloudflare/cloudflare-typescript, v5 line ({@code path`...`} style, 2025):
 * {@code src/resources/queues/queues.ts} (Queue, QueueDeleteResponse; list is {@code SinglePage}),
 * {@code src/resources/queues/consumers.ts} (Consumer = MqHTTPConsumerResponse {consumer_id, created_on,
 * dead_letter_queue, queue_name, settings {batch_size, max_retries, retry_delay, visibility_timeout_ms}, type},
 * and MqWorkerConsumerRequest's {max_wait_time_ms, max_concurrency}, which Ferry keeps and echoes when set;
 * ConsumerDeleteResponse; list is {@code SinglePage}), {@code src/resources/queues/purge.ts}
 * (start → Queue, PurgeStatusResponse {completed: string, started_at: string}),
 * {@code src/resources/queues/subscriptions.ts} (Subscription*Response; list is {@code V4PagePaginationArray}
 * with {@code page}, {@code per_page}, {@code direction}, {@code order}), {@code src/resources/accounts/accounts.ts}
 * (Account {id, name, type, created_on?}; list is {@code V4PagePaginationArray}) and
 * {@code src/core/pagination.ts} (every call unwraps {@code result}; {@code V4PagePaginationArray} asks for
 * {@code page + 1} until a page comes back empty; {@code SinglePage} never asks for a second page).
 * Ferry's deliberate differences (docs/compatibility.md): only {@code http_pull} consumers, and event sources of its own
 * ({@code ferry.queues}, ...).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudflareSdkShapesTest {

  private static final String SDK_BASE = "/client/v4";

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String key = admin.rootKey();
  private final String account = SDK_BASE + "/accounts/" + admin.accountId();

  // ---- accounts.list ----

  @Test
  void accountsListIsAV4PageListTheSdkCanIterateToTheEnd() throws Exception {
    List<JsonObject> accounts = iterateV4Pages(SDK_BASE + "/accounts", "");
    assertEquals(1, accounts.size());
    JsonObject found = accounts.get(0);
    assertString(found, "id");
    assertEquals(admin.defaultAccountId(), found.getString("id"));
    assertString(found, "name");
    assertTrue(Set.of("standard", "enterprise").contains(found.getString("type")), found.encode());
    assertTime(found, "created_on");
  }

  // ---- queues ----

  @Test
  void queueCreateGetUpdateEditAndDeleteHaveTheSdkShapes() throws Exception {
    // client.queues.create({account_id, queue_name})
    JsonObject created = result(call(HttpMethod.POST, account + "/queues", new JsonObject().put("queue_name",
        "sdk-queue")));
    assertQueue(created);
    assertEquals("sdk-queue", created.getString("queue_name"));
    String queueId = created.getString("queue_id");

    // client.queues.get(queueID, {account_id})
    assertQueue(result(call(HttpMethod.GET, account + "/queues/" + queueId, null)));

    // client.queues.update(queueID, {account_id, queue_name?, settings?})
    JsonObject settings = new JsonObject().put("delivery_delay", 5).put("delivery_paused", false)
        .put("message_retention_period", 3600);
    JsonObject updated = result(call(HttpMethod.PUT, account + "/queues/" + queueId,
        new JsonObject().put("queue_name", "sdk-queue-2").put("settings", settings)));
    assertQueue(updated);
    assertEquals("sdk-queue-2", updated.getString("queue_name"));
    assertEquals(settings, updated.getJsonObject("settings"));

    // client.queues.edit(queueID, {account_id, settings: {delivery_paused}})
    JsonObject edited = result(call(HttpMethod.PATCH, account + "/queues/" + queueId,
        new JsonObject().put("settings", new JsonObject().put("delivery_paused", true))));
    assertQueue(edited);
    assertEquals(settings.copy().put("delivery_paused", true), edited.getJsonObject("settings"));

    // client.queues.delete(queueID, {account_id}) returns the whole envelope (QueueDeleteResponse).
    HttpResponse<Buffer> deleted = call(HttpMethod.DELETE, account + "/queues/" + queueId, null);
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertDeleteEnvelope(deleted.bodyAsJsonObject());
  }

  @Test
  void queueListIsASinglePageHoldingEveryQueue() throws Exception {
    // Above the 100 a page used to hold: the SDK never asks for a second page of this list.
    Set<String> names = new HashSet<>();
    List<Future<HttpResponse<Buffer>>> created = new ArrayList<>();
    for (int i = 0; i < 105; i++) {
      String name = "single-page-" + i;
      created.add(admin.send(HttpMethod.POST, account + "/queues", key, new JsonObject().put("queue_name", name)));
      names.add(name);
    }
    for (Future<HttpResponse<Buffer>> response : created) {
      assertEquals(200, response.await(30, TimeUnit.SECONDS).statusCode());
    }
    // client.queues.list({account_id}): no query at all.
    HttpResponse<Buffer> response = call(HttpMethod.GET, account + "/queues", null);
    JsonArray result = envelope(response).getJsonArray("result");
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < result.size(); i++) {
      JsonObject queue = result.getJsonObject(i);
      assertQueue(queue);
      listed.add(queue.getString("queue_name"));
    }
    assertTrue(listed.containsAll(names), "every queue is on the single page the SDK reads");
    JsonObject info = response.bodyAsJsonObject().getJsonObject("result_info");
    assertEquals(info.getInteger("total_count"), info.getInteger("count"));
  }

  // ---- purge ----

  @Test
  void purgeStartAnswersTheQueueAndStatusHasStringFields() throws Exception {
    String queueId = createQueue("sdk-purge");
    // client.queues.purge.start(queueID, {account_id, delete_messages_permanently: true})
    assertQueue(result(call(HttpMethod.POST, account + "/queues/" + queueId + "/purge",
        new JsonObject().put("delete_messages_permanently", true))));
    // client.queues.purge.status(queueID, {account_id})
    JsonObject status = result(call(HttpMethod.GET, account + "/queues/" + queueId + "/purge", null));
    assertString(status, "completed");
    assertTrue(Set.of("true", "false").contains(status.getString("completed")), status.encode());
    assertTime(status, "started_at");
  }

  // ---- consumers ----

  @Test
  void consumerCreateListGetUpdateAndDeleteHaveTheSdkShapes() throws Exception {
    String queueId = createQueue("sdk-consumed");
    String consumers = account + "/queues/" + queueId + "/consumers";
    // The http_pull settings, plus the two the SDK declares for worker consumers (kept and echoed).
    JsonObject settings = new JsonObject().put("batch_size", 10).put("max_retries", 2).put("retry_delay", 4)
        .put("visibility_timeout_ms", 6_000).put("max_wait_time_ms", 1_000).put("max_concurrency", 3);

    // client.queues.consumers.create(queueID, {account_id, type: 'http_pull', dead_letter_queue?, settings?})
    JsonObject created = result(call(HttpMethod.POST, consumers, new JsonObject().put("type", "http_pull")
        .put("dead_letter_queue", "sdk-consumed-dlq").put("settings", settings)));
    assertConsumer(created);
    assertEquals("sdk-consumed", created.getString("queue_name"));
    assertEquals("sdk-consumed-dlq", created.getString("dead_letter_queue"));
    assertEquals(settings, created.getJsonObject("settings"));
    String consumerId = created.getString("consumer_id");

    // client.queues.consumers.list(queueID, {account_id}): a SinglePage, no query.
    JsonArray listed = result(call(HttpMethod.GET, consumers, null), JsonArray.class);
    assertEquals(1, listed.size());
    assertConsumer(listed.getJsonObject(0));
    // The Queue's consumers are Consumers too.
    JsonObject queue = result(call(HttpMethod.GET, account + "/queues/" + queueId, null));
    assertConsumer(queue.getJsonArray("consumers").getJsonObject(0));

    // client.queues.consumers.get(consumerID, {account_id, queue_id})
    assertEquals(created, result(call(HttpMethod.GET, consumers + "/" + consumerId, null)));

    // client.queues.consumers.update(consumerID, {account_id, queue_id, type, dead_letter_queue, settings}),
    // here with the "" a consumer without a dead-letter queue reads back as.
    JsonObject updated = result(call(HttpMethod.PUT, consumers + "/" + consumerId, new JsonObject()
        .put("type", "http_pull").put("dead_letter_queue", "").put("settings", settings.copy().put("batch_size", 20))));
    assertConsumer(updated);
    assertEquals("", updated.getString("dead_letter_queue"));
    assertEquals(20, updated.getJsonObject("settings").getInteger("batch_size"));

    // client.queues.consumers.delete(consumerID, {account_id, queue_id}) returns the envelope.
    HttpResponse<Buffer> deleted = call(HttpMethod.DELETE, consumers + "/" + consumerId, null);
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertDeleteEnvelope(deleted.bodyAsJsonObject());

    // A create that sends dead_letter_queue "" gets none, as the read-back promised.
    JsonObject again = result(call(HttpMethod.POST, consumers, new JsonObject().put("type", "http_pull")
        .put("dead_letter_queue", "")));
    assertConsumer(again);
    assertEquals("", again.getString("dead_letter_queue"));
  }

  // ---- event subscriptions ----

  @Test
  void eventSubscriptionsHaveTheSdkShapesAndTheListIteratesToTheEnd() throws Exception {
    String sink = createQueue("sdk-events-sink");
    String path = account + "/event_subscriptions/subscriptions";

    // client.queues.subscriptions.create({account_id, name, enabled, source, destination, events})
    List<String> ids = new ArrayList<>();
    String[][] sources = {{"ferry.queues", "queue.created"}, {"ferry.listeners", "listener.created"},
        {"ferry.consumers", "consumer.created"}};
    for (String[] source : sources) {
      JsonObject created = result(call(HttpMethod.POST, path, new JsonObject()
          .put("name", "sdk-" + source[0]).put("enabled", true)
          .put("source", new JsonObject().put("type", source[0]))
          .put("destination", new JsonObject().put("type", "queues.queue").put("queue_id", sink))
          .put("events", new JsonArray().add(source[1]))));
      assertSubscription(created);
      ids.add(created.getString("id"));
    }
    String id = ids.get(0);

    // client.queues.subscriptions.get(subscriptionID, {account_id})
    assertSubscription(result(call(HttpMethod.GET, path + "/" + id, null)));

    // client.queues.subscriptions.update(subscriptionID, {account_id, name?, enabled?, events?, destination?})
    JsonObject updated = result(call(HttpMethod.PATCH, path + "/" + id, new JsonObject().put("name", "renamed")
        .put("enabled", false).put("events", new JsonArray().add("queue.deleted"))
        .put("destination", new JsonObject().put("type", "queues.queue").put("queue_id", sink))));
    assertSubscription(updated);
    assertEquals("renamed", updated.getString("name"));
    assertEquals(false, updated.getBoolean("enabled"));

    // client.queues.subscriptions.list({account_id, per_page: 1, direction: 'desc', order: 'name'})
    List<JsonObject> listed = iterateV4Pages(path, "per_page=1&direction=desc&order=name");
    assertEquals(3, listed.size());
    listed.forEach(CloudflareSdkShapesTest::assertSubscription);
    assertEquals(new HashSet<>(ids), new HashSet<>(listed.stream().map(s -> s.getString("id")).toList()));

    // client.queues.subscriptions.delete(subscriptionID, {account_id}) unwraps a Subscription.
    JsonObject deleted = result(call(HttpMethod.DELETE, path + "/" + id, null));
    assertSubscription(deleted);
    assertEquals(id, deleted.getString("id"));
  }

  // ---- errors ----

  @Test
  void errorsAreTheEnvelopeWithResponseInfos() throws Exception {
    HttpResponse<Buffer> missing = call(HttpMethod.GET, account + "/queues/" + Ids.newId(), null);
    assertEquals(404, missing.statusCode());
    JsonObject body = missing.bodyAsJsonObject();
    assertEquals(false, body.getBoolean("success"));
    assertInstanceOf(JsonArray.class, body.getValue("messages"));
    JsonArray errors = body.getJsonArray("errors");
    assertFalse(errors.isEmpty());
    JsonObject info = errors.getJsonObject(0);
    assertNumber(info, "code");
    assertString(info, "message");
  }

  // ---- the SDK's side: requests, unwrapping and paging ----

  private HttpResponse<Buffer> call(HttpMethod method, String path, JsonObject body) throws Exception {
    return admin.call(method, path, key, body);
  }

  private String createQueue(String name) throws Exception {
    return result(call(HttpMethod.POST, account + "/queues", new JsonObject().put("queue_name", name)))
        .getString("queue_id");
  }

  private static JsonObject envelope(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(true, body.getBoolean("success"), body.encode());
    assertInstanceOf(JsonArray.class, body.getValue("errors"));
    assertInstanceOf(JsonArray.class, body.getValue("messages"));
    return body;
  }

  // What _thenUnwrap((obj) => obj.result) hands the caller.
  private static JsonObject result(HttpResponse<Buffer> response) {
    return result(response, JsonObject.class);
  }

  private static <T> T result(HttpResponse<Buffer> response, Class<T> type) {
    return assertInstanceOf(type, envelope(response).getValue("result"));
  }

  // V4PagePaginationArray: the first request carries the caller's query; each next one adds page = page + 1,
  // and iteration stops at the first page whose result is empty.
  private List<JsonObject> iterateV4Pages(String path, String query) throws Exception {
    List<JsonObject> items = new ArrayList<>();
    String url = query.isEmpty() ? path : path + "?" + query;
    for (int page = 1; page <= 50; page++) {
      JsonObject body = envelope(call(HttpMethod.GET, url, null));
      JsonArray result = assertInstanceOf(JsonArray.class, body.getValue("result"));
      JsonObject info = assertInstanceOf(JsonObject.class, body.getValue("result_info"));
      assertNumber(info, "page");
      assertNumber(info, "per_page");
      assertEquals(page, info.getInteger("page"));
      if (result.isEmpty()) {
        return items;
      }
      result.forEach(item -> items.add((JsonObject) item));
      url = path + "?" + (query.isEmpty() ? "" : query + "&") + "page=" + (page + 1);
    }
    return fail("the list never came back empty: the SDK would page through it forever");
  }

  // ---- the SDK's types ----

  private static void assertQueue(JsonObject queue) {
    assertString(queue, "queue_id");
    assertString(queue, "queue_name");
    assertTime(queue, "created_on");
    assertTime(queue, "modified_on");
    assertInstanceOf(JsonArray.class, queue.getValue("producers"), queue.encode());
    assertNumber(queue, "producers_total_count");
    JsonArray consumers = assertInstanceOf(JsonArray.class, queue.getValue("consumers"), queue.encode());
    consumers.forEach(consumer -> assertConsumer((JsonObject) consumer));
    assertNumber(queue, "consumers_total_count");
    assertEquals(consumers.size(), queue.getInteger("consumers_total_count"));
    JsonObject settings = assertInstanceOf(JsonObject.class, queue.getValue("settings"), queue.encode());
    assertNumber(settings, "delivery_delay");
    assertInstanceOf(Boolean.class, settings.getValue("delivery_paused"), settings.encode());
    assertNumber(settings, "message_retention_period");
  }

  private static void assertConsumer(JsonObject consumer) {
    assertString(consumer, "consumer_id");
    assertTime(consumer, "created_on");
    assertString(consumer, "dead_letter_queue");
    assertString(consumer, "queue_name");
    assertEquals("http_pull", consumer.getString("type"));
    JsonObject settings = assertInstanceOf(JsonObject.class, consumer.getValue("settings"), consumer.encode());
    assertNumber(settings, "batch_size");
    assertNumber(settings, "max_retries");
    assertNumber(settings, "retry_delay");
    assertNumber(settings, "visibility_timeout_ms");
    for (String optional : new String[] {"max_wait_time_ms", "max_concurrency"}) {
      if (settings.containsKey(optional)) {
        assertNumber(settings, optional);
      }
    }
  }

  private static void assertSubscription(JsonObject subscription) {
    assertString(subscription, "id");
    assertString(subscription, "name");
    assertInstanceOf(Boolean.class, subscription.getValue("enabled"), subscription.encode());
    assertTime(subscription, "created_at");
    assertTime(subscription, "modified_at");
    JsonArray events = assertInstanceOf(JsonArray.class, subscription.getValue("events"), subscription.encode());
    events.forEach(event -> assertInstanceOf(String.class, event));
    JsonObject source = assertInstanceOf(JsonObject.class, subscription.getValue("source"), subscription.encode());
    assertString(source, "type");
    JsonObject destination = assertInstanceOf(JsonObject.class, subscription.getValue("destination"),
        subscription.encode());
    assertEquals("queues.queue", destination.getString("type"));
    assertString(destination, "queue_id");
  }

  // QueueDeleteResponse and ConsumerDeleteResponse: {errors, messages, success: true}.
  private static void assertDeleteEnvelope(JsonObject body) {
    assertEquals(true, body.getBoolean("success"));
    assertInstanceOf(JsonArray.class, body.getValue("errors"));
    assertInstanceOf(JsonArray.class, body.getValue("messages"));
  }

  private static void assertString(JsonObject json, String field) {
    assertInstanceOf(String.class, json.getValue(field), field + " in " + json.encode());
  }

  private static void assertNumber(JsonObject json, String field) {
    assertInstanceOf(Number.class, json.getValue(field), field + " in " + json.encode());
  }

  // An RFC 3339 string, as every Cloudflare time is.
  private static void assertTime(JsonObject json, String field) {
    assertString(json, field);
    DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(json.getString(field));
  }
}
