package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.PublishRequest;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A queue's message schema applies to every push of every dialect, before anything is stored: a violation
 * is a 422 naming the path in the dialect's error format, and a batch is refused whole.
 */
class SchemaEnforcementTest {

  private static final JsonObject ORDER = new JsonObject("""
      {"type": "object", "strict": true, "props": {
        "sku": {"type": "string", "required": true, "pattern": "^[A-Z]{3}-[0-9]+$"},
        "qty": {"type": "integer", "required": true, "min": 1}}}""");
  private static final JsonObject STATUS = new JsonObject("""
      {"type": "string", "enum": ["on", "off"]}""");

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void cloudflarePushAcceptsMatchingMessagesAndRefusesOthersWithTheirPath() {
    QueueInfo queue = queueWithSchema(ORDER);
    String messages = queuePath(ACCOUNT_A, queue.id()) + "/messages";
    assertEquals(200, node.post(messages, KEY_A, push(order("ABC-1", 2))).statusCode());

    assertCloudflare422(node.post(messages, KEY_A, push(order("ABC-1", 0))), "$.qty: must be at least 1");
    assertCloudflare422(node.post(messages, KEY_A, push(order("abc", 1))),
        "$.sku: does not match pattern ^[A-Z]{3}-[0-9]+$");
    assertCloudflare422(node.post(messages, KEY_A, push(new JsonObject().put("qty", 1))), "$.sku: is required");
    assertCloudflare422(node.post(messages, KEY_A, push(order("ABC-1", 1).put("note", "x"))),
        "$.note: is not allowed");
    assertCloudflare422(node.post(messages, KEY_A, new JsonObject().put("body", "ABC-1").put("content_type", "text")),
        "$: must be an object");
    assertCloudflare422(node.post(messages, KEY_A, new JsonObject().put("content_type", "bytes")
            .put("body", Base64.getEncoder().encodeToString(new byte[] {1, 2}))),
        "queue has a schema: only json or text messages can be pushed to it, not bytes");

    assertEquals(1, history(queue).messages().size());
    assertEquals(1, backlog(queue));
  }

  @Test
  void aBatchWithOneBadMessageIsRefusedWholeNamingItsIndex() {
    QueueInfo queue = queueWithSchema(ORDER);
    String batch = queuePath(ACCOUNT_A, queue.id()) + "/messages/batch";
    JsonObject body = new JsonObject().put("messages", new JsonArray()
        .add(push(order("ABC-1", 1))).add(push(order("ABC-2", 1))).add(push(order("ABC-3", -4))));
    assertCloudflare422(node.post(batch, KEY_A, body), "messages[2] $.qty: must be at least 1");
    assertEquals(0, history(queue).messages().size());
    assertEquals(0, backlog(queue));
    JsonObject peeked = json(node.post(queuePath(ACCOUNT_A, queue.id()) + "/messages/peek", KEY_A,
        new JsonObject().put("batch_size", 10)));
    assertEquals(0, peeked.getJsonObject("result").getJsonArray("messages").size());

    body.getJsonArray("messages").set(2, push(order("ABC-3", 4)));
    assertEquals(200, node.post(batch, KEY_A, body).statusCode());
    assertEquals(3, backlog(queue));
  }

  @Test
  void discueMessagesAreCheckedAsTextAndRefusedAsProblemDocuments() {
    QueueInfo queue = queueWithSchema(STATUS);
    String messages = "/v1/queues/" + queue.id() + "/messages";
    assertEquals(200, node.post(messages, KEY_A, new JsonObject().put("name", "s").put("data", "on")).statusCode());

    HttpResponse<Buffer> refused = node.post(messages, KEY_A, new JsonObject().put("name", "s").put("data", "dim"));
    assertEquals(422, refused.statusCode(), refused.bodyAsString());
    assertEquals(new JsonObject().put("title", "Unprocessable Entity").put("status", 422)
        .put("detail", "$: must be one of [\"on\",\"off\"]"), json(refused));

    QueueInfo objects = queueWithSchema(ORDER);
    HttpResponse<Buffer> notAnObject = node.post("/v1/queues/" + objects.id() + "/messages", KEY_A,
        new JsonObject().put("data", "{\"sku\":\"ABC-1\",\"qty\":1}"));
    assertEquals(422, notAnObject.statusCode());
    assertEquals("$: must be an object", json(notAnObject).getString("detail"));

    assertEquals(List.of("on"), bodies(queue));
    assertEquals(0, history(objects).messages().size());
  }

  @Test
  void discueDataIsCheckedAsTheJsonValueSentWhateverItsType() {
    QueueInfo objects = queueWithSchema(ORDER);
    String messages = "/v1/queues/" + objects.id() + "/messages";
    HttpResponse<Buffer> object = node.post(messages, KEY_A, new JsonObject().put("data", order("ABC-1", 2)));
    assertEquals(200, object.statusCode(), object.bodyAsString());
    HttpResponse<Buffer> badObject = node.post(messages, KEY_A, new JsonObject().put("data", order("ABC-1", 0)));
    assertEquals(422, badObject.statusCode());
    assertEquals(new JsonObject().put("title", "Unprocessable Entity").put("status", 422)
        .put("detail", "$.qty: must be at least 1"), json(badObject));
    assertEquals(List.of("{\"sku\":\"ABC-1\",\"qty\":2}"), bodies(objects));
    assertEquals(ContentType.JSON, history(objects).messages().get(0).contentType());

    QueueInfo arrays = queueWithSchema(new JsonObject("""
        {"type": "array", "items": {"type": "integer", "min": 0}}"""));
    String arrayMessages = "/v1/queues/" + arrays.id() + "/messages";
    assertEquals(200, node.post(arrayMessages, KEY_A,
        new JsonObject().put("data", new JsonArray().add(1).add(2))).statusCode());
    HttpResponse<Buffer> badArray = node.post(arrayMessages, KEY_A,
        new JsonObject().put("data", new JsonArray().add(1).add(-2)));
    assertEquals(422, badArray.statusCode());
    assertEquals("$[1]: must be at least 0", json(badArray).getString("detail"));

    QueueInfo numbers = queueWithSchema(new JsonObject("{\"type\": \"number\", \"max\": 10}"));
    String numberMessages = "/v1/queues/" + numbers.id() + "/messages";
    assertEquals(200, node.post(numberMessages, KEY_A, new JsonObject().put("data", 7.5)).statusCode());
    assertEquals(422, node.post(numberMessages, KEY_A, new JsonObject().put("data", 11)).statusCode());
    assertEquals(422, node.post(numberMessages, KEY_A, new JsonObject().put("data", "7")).statusCode());
    assertEquals(List.of("7.5"), bodies(numbers));
  }

  @Test
  void sonyaSendsAreCheckedAndRefusedInSonyasFormat() {
    QueueInfo queue = queueWithSchema(ORDER);
    String send = "/queue/send/" + queue.name();
    HttpResponse<Buffer> sent = node.post(send, KEY_A,
        new JsonObject().put("id", "o").put("payload", order("XYZ-9", 3)));
    assertEquals(200, sent.statusCode(), sent.bodyAsString());

    HttpResponse<Buffer> refused = node.post(send, KEY_A,
        new JsonObject().put("id", "o").put("payload", order("XYZ-9", 1.5)));
    assertEquals(422, refused.statusCode());
    assertEquals(new JsonObject().put("success", false).put("code", "unprocessable")
        .put("message", "$.qty: must be an integer"), json(refused));
    // A refused message takes no sequence.
    HttpResponse<Buffer> next = node.post(send, KEY_A,
        new JsonObject().put("id", "o").put("payload", order("XYZ-9", 4)));
    assertEquals(2, json(next).getInteger("sequence"));
    assertEquals(2, history(queue).messages().size());
  }

  @Test
  void aChangedSchemaAppliesToTheNextPushAndARemovedOneToNone() {
    QueueInfo queue = queueWithSchema(STATUS);
    String messages = "/v1/queues/" + queue.id() + "/messages";
    assertEquals(422, node.post(messages, KEY_A, new JsonObject().put("data", "dim")).statusCode());

    node.upsertQueue(withSchema(queue, new JsonObject().put("type", "string").put("enum", new JsonArray().add("dim"))));
    assertEquals(200, node.post(messages, KEY_A, new JsonObject().put("data", "dim")).statusCode());
    assertEquals(422, node.post(messages, KEY_A, new JsonObject().put("data", "on")).statusCode());

    node.upsertQueue(withSchema(queue, null));
    assertEquals(200, node.post(messages, KEY_A, new JsonObject().put("data", "anything")).statusCode());
    assertEquals(List.of("dim", "anything"), bodies(queue));
  }

  @Test
  void ferrysOwnPublishedMessagesAreNotChecked() {
    QueueInfo queue = queueWithSchema(ORDER);
    await(Bus.<Ack>request(node.vertx, Addresses.MESSAGING_PUBLISH,
        new PublishRequest(queue.id(), List.of(new JsonObject().put("type", "queue.created")))));
    assertEquals(1, history(queue).messages().size());
  }

  private static QueueInfo queueWithSchema(JsonObject schema) {
    String id = Ids.newId();
    return node.upsertQueue(new QueueInfo(id, ACCOUNT_A, "s-" + id.substring(0, 8), 1, 1, QueueSettings.DEFAULTS,
        schema));
  }

  private static QueueInfo withSchema(QueueInfo queue, JsonObject schema) {
    return new QueueInfo(queue.id(), queue.accountId(), queue.name(), queue.createdAtMs(), 2, queue.settings(),
        schema);
  }

  private static JsonObject order(String sku, Number qty) {
    return new JsonObject().put("sku", sku).put("qty", qty);
  }

  private static JsonObject push(Object body) {
    return new JsonObject().put("body", body);
  }

  private static void assertCloudflare422(HttpResponse<Buffer> response, String message) {
    assertEquals(422, response.statusCode(), response.bodyAsString());
    JsonObject envelope = json(response);
    assertEquals(false, envelope.getBoolean("success"));
    JsonObject error = envelope.getJsonArray("errors").getJsonObject(0);
    assertEquals(11008, error.getInteger("code"));
    assertEquals(message, error.getString("message"));
  }

  private static HistoryPage history(QueueInfo queue) {
    return await(Bus.request(node.vertx, Addresses.MESSAGING_HISTORY, new HistoryRequest(queue.id(), 1, null, 100)));
  }

  private static List<String> bodies(QueueInfo queue) {
    return history(queue).messages().stream()
        .map(StoredMessage::body).map(body -> new String(body, StandardCharsets.UTF_8)).toList();
  }

  private static int backlog(QueueInfo queue) {
    HttpResponse<Buffer> metrics = node.get(queuePath(ACCOUNT_A, queue.id()) + "/metrics", KEY_A);
    assertTrue(metrics.statusCode() == 200, metrics.bodyAsString());
    return json(metrics).getJsonObject("result").getInteger("backlog_count");
  }
}
