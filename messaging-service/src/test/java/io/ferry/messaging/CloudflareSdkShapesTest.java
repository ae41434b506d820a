package io.ferry.messaging;

import static io.ferry.messaging.TestNode.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The messaging-service routes driven exactly as the official Cloudflare TypeScript SDK drives them (POST with
 * the SDK's body under the SDK base URL {@code /client/v4}), checking that every field the SDK's response types
 * declare is there with the JSON type the SDK expects.
 *
 * <p>Shapes from github.com/cloudflare/cloudflare-typescript, v5 line ({@code path`...`} style, 2025):
 * {@code src/resources/queues/messages.ts} (push, bulkPush, pull, ack, peek, purge; MessagePushResponse,
 * MessageBulkPushResponse, MessagePullResponse, MessageAckResponse, MessagePeekResponse, MessagePurgeResponse)
 * and {@code src/resources/queues/queues.ts} (getMetrics → QueueGetMetricsResponse); every call unwraps
 * {@code result}. {@code warnings} of ack and purge is the SDK's map from lease id (or ref) to message.
 */
class CloudflareSdkShapesTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @RegisterExtension
  final TestQueue created = TestQueue.withPullConsumer(node);
  String queue;

  @BeforeEach
  void v4Path() {
    queue = "/client/v4" + created.path();
  }

  @Test
  void pushAndBulkPushAnswerMetrics() {
    // client.queues.messages.push(queueID, {account_id, body, content_type: 'json'}) and the text variant.
    assertMetricsMetadata(result(queue + "/messages", new JsonObject()
        .put("body", new JsonObject().put("n", 1)).put("content_type", "json")));
    assertMetricsMetadata(result(queue + "/messages", new JsonObject()
        .put("body", "plain").put("content_type", "text").put("delay_seconds", 0)));
    // client.queues.messages.bulkPush(queueID, {account_id, delay_seconds?, messages: [...]})
    JsonObject bulk = result(queue + "/messages/batch", new JsonObject().put("delay_seconds", 0)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("body", "t").put("content_type", "text"))
            .add(new JsonObject().put("body", new JsonArray().add(1)).put("content_type", "json")
                .put("delay_seconds", 0))));
    assertMetricsMetadata(bulk);
    assertEquals(4, bulk.getJsonObject("metadata").getJsonObject("metrics").getInteger("backlog_count"));
  }

  @Test
  void pullAndAckHaveTheSdkShapes() {
    result(queue + "/messages", new JsonObject().put("body", "one").put("content_type", "text"));
    result(queue + "/messages", new JsonObject().put("body", new JsonObject()).put("content_type", "json"));

    // client.queues.messages.pull(queueID, {account_id, batch_size, visibility_timeout_ms})
    JsonObject pulled = result(queue + "/messages/pull", new JsonObject().put("batch_size", 10)
        .put("visibility_timeout_ms", 30_000));
    assertNumber(pulled, "message_backlog_count");
    assertMetricsMetadata(pulled);
    JsonArray messages = assertInstanceOf(JsonArray.class, pulled.getValue("messages"));
    assertEquals(2, messages.size());
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      assertString(message, "id");
      assertNumber(message, "attempts");
      assertString(message, "body");
      assertString(message, "lease_id");
      assertNumber(message, "timestamp_ms");
      assertTrue(message.containsKey("metadata"), message.encode());
    }

    // client.queues.messages.ack(queueID, {account_id, acks: [{lease_id}], retries: [{lease_id, delay_seconds}]})
    JsonObject acked = result(queue + "/messages/ack", new JsonObject()
        .put("acks", new JsonArray().add(new JsonObject().put("lease_id", messages.getJsonObject(0)
            .getString("lease_id"))))
        .put("retries", new JsonArray().add(new JsonObject().put("lease_id", messages.getJsonObject(1)
            .getString("lease_id")).put("delay_seconds", 0))));
    assertNumber(acked, "ackCount");
    assertNumber(acked, "retryCount");
    assertEquals(1, acked.getInteger("ackCount"));
    assertEquals(1, acked.getInteger("retryCount"));
    assertEquals(new JsonObject(), assertInstanceOf(JsonObject.class, acked.getValue("warnings")));

    // A lease used twice is a warning that names it.
    JsonObject again = result(queue + "/messages/ack", new JsonObject().put("acks", new JsonArray()
        .add(new JsonObject().put("lease_id", messages.getJsonObject(0).getString("lease_id")))));
    assertEquals(0, again.getInteger("ackCount"));
    String lease = messages.getJsonObject(0).getString("lease_id");
    JsonObject warnings = assertInstanceOf(JsonObject.class, again.getValue("warnings"));
    assertEquals(List.of(lease), List.copyOf(warnings.fieldNames()));
    assertString(warnings, lease);
  }

  @Test
  void peekAndPurgeByRefHaveTheSdkShapes() {
    result(queue + "/messages", new JsonObject().put("body", "peek me").put("content_type", "text"));

    // client.queues.messages.peek(queueID, {account_id, batch_size})
    JsonObject peeked = result(queue + "/messages/peek", new JsonObject().put("batch_size", 5));
    JsonArray messages = assertInstanceOf(JsonArray.class, peeked.getValue("messages"));
    assertEquals(1, messages.size());
    JsonObject message = messages.getJsonObject(0);
    assertString(message, "id");
    assertNumber(message, "attempts");
    assertString(message, "body");
    assertString(message, "ref");
    assertNumber(message, "timestamp_ms");
    assertTrue(message.containsKey("metadata"), message.encode());

    // client.queues.messages.purge(queueID, {account_id, refs: [{ref}]})
    JsonObject purged = result(queue + "/messages/purge", new JsonObject().put("refs", new JsonArray()
        .add(new JsonObject().put("ref", message.getString("ref")))));
    JsonArray errors = assertInstanceOf(JsonArray.class, purged.getValue("errors"));
    errors.forEach(error -> assertString((JsonObject) error, "message"));
    assertEquals(new JsonObject(), assertInstanceOf(JsonObject.class, purged.getValue("warnings")));
    JsonObject again = result(queue + "/messages/purge", new JsonObject().put("refs", new JsonArray()
        .add(new JsonObject().put("ref", message.getString("ref")))));
    JsonObject warnings = assertInstanceOf(JsonObject.class, again.getValue("warnings"));
    assertEquals(List.of(message.getString("ref")), List.copyOf(warnings.fieldNames()));
    assertString(warnings, message.getString("ref"));
    assertEquals(0, result(queue + "/messages/peek", new JsonObject()).getJsonArray("messages").size());
  }

  @Test
  void metricsHaveTheSdkShape() {
    result(queue + "/messages", new JsonObject().put("body", "counted").put("content_type", "text"));
    // client.queues.getMetrics(queueID, {account_id})
    HttpResponse<Buffer> response = node.get(queue + "/metrics", KEY_A);
    JsonObject metrics = assertInstanceOf(JsonObject.class, envelope(response).getValue("result"));
    assertMetrics(metrics);
    assertEquals(1, metrics.getInteger("backlog_count"));
  }

  @Test
  void errorsAreTheEnvelopeWithResponseInfos() {
    HttpResponse<Buffer> response = node.post(queue + "/messages/pull", KEY_A,
        new JsonObject().put("batch_size", 0));
    assertEquals(400, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(false, body.getBoolean("success"));
    assertInstanceOf(JsonArray.class, body.getValue("messages"));
    JsonArray errors = body.getJsonArray("errors");
    assertFalse(errors.isEmpty());
    assertNumber(errors.getJsonObject(0), "code");
    assertString(errors.getJsonObject(0), "message");
    assertTrue(errors.getJsonObject(0).getString("message").contains("batch_size"));
  }

  // ---- the SDK's side ----

  private static JsonObject envelope(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(true, body.getBoolean("success"), body.encode());
    assertInstanceOf(JsonArray.class, body.getValue("errors"));
    assertInstanceOf(JsonArray.class, body.getValue("messages"));
    return body;
  }

  // What _thenUnwrap((obj) => obj.result) hands the caller of a POST.
  private static JsonObject result(String path, JsonObject body) {
    return assertInstanceOf(JsonObject.class, envelope(node.post(path, KEY_A, body)).getValue("result"));
  }

  // ---- the SDK's types ----

  private static void assertMetricsMetadata(JsonObject result) {
    JsonObject metadata = assertInstanceOf(JsonObject.class, result.getValue("metadata"), result.encode());
    assertMetrics(assertInstanceOf(JsonObject.class, metadata.getValue("metrics"), metadata.encode()));
  }

  private static void assertMetrics(JsonObject metrics) {
    assertNumber(metrics, "backlog_bytes");
    assertNumber(metrics, "backlog_count");
    assertNumber(metrics, "oldest_message_timestamp_ms");
  }

  private static void assertString(JsonObject json, String field) {
    assertInstanceOf(String.class, json.getValue(field), field + " in " + json.encode());
  }

  private static void assertNumber(JsonObject json, String field) {
    assertInstanceOf(Number.class, json.getValue(field), field + " in " + json.encode());
  }
}
