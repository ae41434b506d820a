package io.ferry.messaging;

import static io.ferry.contracts.error.Dialect.CLOUDFLARE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.contracts.testkit.DialectAssertions.assertExactError;
import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.ACCOUNT_B;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.KEY_B;
import static io.ferry.messaging.TestNode.json;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cloudflare-dialect push / batch / pull / ack: shapes, content types, limits and every error case. */
class CloudflareRoutesTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @RegisterExtension
  final TestQueue queue = TestQueue.withPullConsumer(node);

  @Test
  void pushPullAckRoundTrip() {
    HttpResponse<Buffer> pushed = node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body",
        new JsonObject().put("hello", "world")));
    assertEquals(200, pushed.statusCode());
    JsonObject envelope = json(pushed);
    assertEquals(true, envelope.getBoolean("success"));
    assertEquals(new JsonArray(), envelope.getJsonArray("errors"));
    assertEquals(new JsonArray(), envelope.getJsonArray("messages"));
    JsonObject metrics = envelope.getJsonObject("result").getJsonObject("metadata").getJsonObject("metrics");
    assertEquals(1, metrics.getInteger("backlog_count"));
    assertEquals(17, metrics.getInteger("backlog_bytes"));
    assertTrue(metrics.getLong("oldest_message_timestamp_ms") > 0);

    JsonObject pulled = pull(new JsonObject().put("batch_size", 10));
    assertEquals(1, pulled.getInteger("message_backlog_count"));
    JsonObject message = pulled.getJsonArray("messages").getJsonObject(0);
    assertEquals("{\"hello\":\"world\"}",
        new String(Base64.getDecoder().decode(message.getString("body")), StandardCharsets.UTF_8));
    assertEquals(1, message.getInteger("attempts"));
    assertEquals("json", message.getJsonObject("metadata").getString("CF-Content-Type"));
    assertEquals(32, message.getString("id").length());
    assertTrue(message.getLong("timestamp_ms") > 0);
    assertTrue(pulled.getJsonObject("metadata").getJsonObject("metrics").containsKey("backlog_count"));

    JsonObject acked = ack(new JsonObject().put("acks",
        new JsonArray().add(new JsonObject().put("lease_id", message.getString("lease_id")))));
    assertEquals(new JsonObject().put("ackCount", 1).put("retryCount", 0).put("warnings", new JsonObject()), acked);

    JsonObject after = pull(new JsonObject());
    assertEquals(0, after.getJsonArray("messages").size());
    assertEquals(0, after.getInteger("message_backlog_count"));
  }

  @Test
  void jsonBodiesAreStoredAsTheProducerWroteThemWithoutWhitespace() {
    String single = "{\"body\" : { \"price\": 0.1234567890123456789012345, \"n\": [1, 2] } }";
    assertEquals(200, node.post(queue.path() + "/messages", KEY_A, Buffer.buffer(single)).statusCode());
    String batch = "{\"messages\": [ {\"body\": {\"big\": 12345678901234567890123}}, {\"body\": \"a b\"} ]}";
    assertEquals(200, node.post(queue.path() + "/messages/batch", KEY_A, Buffer.buffer(batch)).statusCode());

    JsonArray messages = pull(new JsonObject().put("batch_size", 10)).getJsonArray("messages");
    List<String> bodies = messages.stream().map(m -> new String(Base64.getDecoder().decode(
        ((JsonObject) m).getString("body")), StandardCharsets.UTF_8)).toList();
    assertEquals(List.of("{\"price\":0.1234567890123456789012345,\"n\":[1,2]}",
        "{\"big\":12345678901234567890123}", "\"a b\""), bodies);
  }

  @Test
  void aPullNamingNoBatchSizeGetsTheConsumersBatchSize() {
    for (int i = 0; i < 8; i++) {
      assertEquals(200, node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", i)).statusCode());
    }
    // TestNode subscribes the http_pull consumer with batch_size 5.
    assertEquals(5, pull(new JsonObject()).getJsonArray("messages").size());
    assertEquals(3, pull(new JsonObject().put("batch_size", 10)).getJsonArray("messages").size());
  }

  @Test
  void textAndBytesBodiesKeepTheirEncoding() {
    JsonObject batch = new JsonObject().put("messages", new JsonArray()
        .add(new JsonObject().put("body", "plain text").put("content_type", "text"))
        .add(new JsonObject().put("body", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2}))
            .put("content_type", "bytes")));
    assertEquals(200, node.post(queue.path() + "/messages/batch", KEY_A, batch).statusCode());

    JsonArray messages = pull(new JsonObject().put("batch_size", 10)).getJsonArray("messages");
    assertEquals(2, messages.size());
    assertEquals("plain text", messages.getJsonObject(0).getString("body"));
    assertEquals("text", messages.getJsonObject(0).getJsonObject("metadata").getString("CF-Content-Type"));
    assertEquals("AAEC", messages.getJsonObject(1).getString("body"));
    assertEquals("bytes", messages.getJsonObject(1).getJsonObject("metadata").getString("CF-Content-Type"));
  }

  @Test
  void theClientV4PrefixServesTheSameRoutes() {
    String v4 = "/client/v4" + queue.path();
    assertEquals(200, node.post(v4 + "/messages", KEY_A, new JsonObject().put("body", 1)).statusCode());
    JsonObject pulled = json(node.post(v4 + "/messages/pull", KEY_A, new JsonObject()));
    assertEquals(1, pulled.getJsonObject("result").getJsonArray("messages").size());
  }

  @Test
  void ackOfUnknownLeaseIsAWarningAndLeasesAreUsedOnce() {
    node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "x"));
    String lease = pull(new JsonObject()).getJsonArray("messages").getJsonObject(0).getString("lease_id");
    JsonObject result = ack(new JsonObject()
        .put("acks", new JsonArray().add(new JsonObject().put("lease_id", lease))
            .add(new JsonObject().put("lease_id", "nope")))
        .put("retries", new JsonArray().add(new JsonObject().put("lease_id", lease))));
    assertEquals(1, result.getInteger("ackCount"));
    assertEquals(0, result.getInteger("retryCount"));
    assertEquals(2, result.getJsonObject("warnings").size());
  }

  @Test
  void authAndPathErrorsUseTheCloudflareFormat() {
    JsonObject body = new JsonObject().put("body", "x");
    assertError(node.post(queue.path() + "/messages", null, body), CLOUDFLARE, ErrorCode.UNAUTHENTICATED);
    assertError(node.post(queue.path() + "/messages", "wrong-key", body), CLOUDFLARE, ErrorCode.UNAUTHENTICATED);
    assertError(node.post(queue.path() + "/messages", KEY_B, body), CLOUDFLARE, ErrorCode.FORBIDDEN);
    assertError(node.post(queuePath(ACCOUNT_A, "not-a-queue-id") + "/messages", KEY_A, body),
        CLOUDFLARE, ErrorCode.QUEUE_ID_MALFORMED);
    assertError(node.post(queuePath(ACCOUNT_A, "0".repeat(32)) + "/messages", KEY_A, body),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND);
    // A queue of another account is indistinguishable from a missing one.
    assertError(node.post(queuePath(ACCOUNT_B, queue.id()) + "/messages", KEY_B, body),
        CLOUDFLARE, ErrorCode.QUEUE_NOT_FOUND);
    assertNothingStored();
  }

  @Test
  void invalidPushBodiesAreRejectedNamingTheField() {
    String push = queue.path() + "/messages";
    assertError(node.post(push, KEY_A, Buffer.buffer("{not json")), CLOUDFLARE, ErrorCode.MALFORMED_JSON);
    assertError(node.post(push, KEY_A, new JsonArray().add(1)), CLOUDFLARE, ErrorCode.INVALID_FIELD);
    assertError(node.post(push, KEY_A, new JsonObject()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "body:");
    assertError(node.post(push, KEY_A, new JsonObject().put("body", "x").put("content_type", "xml")),
        CLOUDFLARE, ErrorCode.MESSAGE_METADATA_INVALID, "content_type:");
    assertError(node.post(push, KEY_A, new JsonObject().put("body", "x").put("delay_seconds", 43_201)),
        CLOUDFLARE, ErrorCode.MESSAGE_METADATA_INVALID, "delay_seconds:");
    assertError(node.post(push, KEY_A, new JsonObject().put("body", "x").put("delay_seconds", "5")),
        CLOUDFLARE, ErrorCode.MESSAGE_METADATA_INVALID, "delay_seconds:");
    assertError(node.post(push, KEY_A, new JsonObject().put("body", 5).put("content_type", "text")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "body:");
    assertError(node.post(push, KEY_A, new JsonObject().put("body", "***").put("content_type", "bytes")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "body:");
    assertError(node.post(push, KEY_A, new JsonObject().put("body", "a".repeat(128 * 1024 + 1))
        .put("content_type", "text")), CLOUDFLARE, ErrorCode.MESSAGE_SIZE_OUT_OF_BOUNDS, "body:");
    assertNothingStored();
  }

  @Test
  void invalidBatchesAreRejectedNamingTheField() {
    String batch = queue.path() + "/messages/batch";
    JsonObject one = new JsonObject().put("body", "x");
    assertError(node.post(batch, KEY_A, new JsonObject()), CLOUDFLARE, ErrorCode.INVALID_FIELD, "messages:");
    assertError(node.post(batch, KEY_A, new JsonObject().put("messages", new JsonArray())),
        CLOUDFLARE, ErrorCode.BATCH_COUNT_OUT_OF_BOUNDS, "messages:");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 101; i++) {
      tooMany.add(one);
    }
    assertError(node.post(batch, KEY_A, new JsonObject().put("messages", tooMany)),
        CLOUDFLARE, ErrorCode.BATCH_COUNT_OUT_OF_BOUNDS, "messages:");
    JsonArray tooBig = new JsonArray();
    for (int i = 0; i < 3; i++) {
      tooBig.add(new JsonObject().put("body", "a".repeat(100 * 1024)).put("content_type", "text"));
    }
    assertError(node.post(batch, KEY_A, new JsonObject().put("messages", tooBig)),
        CLOUDFLARE, ErrorCode.BATCH_SIZE_OUT_OF_BOUNDS, "messages:");
    assertError(node.post(batch, KEY_A, new JsonObject().put("messages", new JsonArray().add(one))
        .put("delay_seconds", -1)), CLOUDFLARE, ErrorCode.BATCH_DELAY_INVALID, "delay_seconds:");
    assertError(node.post(batch, KEY_A, new JsonObject().put("messages", new JsonArray().add(one).add("x"))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "messages[1]:");
    assertError(node.post(batch, KEY_A, new JsonObject().put("messages", new JsonArray().add(one)
        .add(new JsonObject().put("body", 1).put("content_type", "v9")))),
        CLOUDFLARE, ErrorCode.MESSAGE_METADATA_INVALID, "messages[1].content_type:");
    assertNothingStored();
  }

  @Test
  void invalidPullAndAckBodiesAreRejected() {
    node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "x"));
    assertError(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 0)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "batch_size:");
    assertError(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("batch_size", 1.5)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "batch_size:");
    assertError(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("wait_ms", 20_001)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "wait_ms:");
    assertError(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("visibility_timeout_ms", 10)),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "visibility_timeout_ms:");
    assertError(node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put("acks", "x")),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "acks:");
    assertError(node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put("acks",
        new JsonArray().add(new JsonObject().put("lease_id", 5)))),
        CLOUDFLARE, ErrorCode.INVALID_FIELD, "acks[0].lease_id:");
    assertError(node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put("retries",
        new JsonArray().add(new JsonObject().put("lease_id", "l").put("delay_seconds", -2)))),
        CLOUDFLARE, ErrorCode.MESSAGE_METADATA_INVALID, "retries[0].delay_seconds:");
    // None of those leased anything: the message is still there for a valid pull.
    assertEquals(1, pull(new JsonObject()).getJsonArray("messages").size());
  }

  @Test
  void pullNeedsAPullConsumerAndAnUnpausedQueue() {
    QueueInfo bare = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    HttpResponse<Buffer> noConsumer = node.post(queuePath(ACCOUNT_A, bare.id()) + "/messages/pull", KEY_A,
        new JsonObject());
    assertError(noConsumer, CLOUDFLARE, ErrorCode.NO_PULL_CONSUMER, "http_pull");
    assertError(node.post(queuePath(ACCOUNT_A, bare.id()) + "/messages/ack", KEY_A, new JsonObject()),
        CLOUDFLARE, ErrorCode.NO_PULL_CONSUMER);

    node.upsertQueue(new QueueInfo(queue.id(), ACCOUNT_A, queue.name(), 1, 2, new QueueSettings(0, true, 345_600)));
    assertEquals(200, node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "kept")).statusCode());
    assertError(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject()),
        CLOUDFLARE, ErrorCode.DELIVERY_PAUSED);

    node.upsertQueue(queue.info());
    assertEquals(1, pull(new JsonObject()).getJsonArray("messages").size());
  }

  @Test
  void aMessageCountsItsMetadataAgainstCloudflares128000Bytes() {
    String push = queue.path() + "/messages";
    HttpResponse<Buffer> over = node.post(push, KEY_A, new JsonObject().put("body", "a".repeat(127_901))
        .put("content_type", "text"));
    assertExactError(over, CLOUDFLARE, new FerryException(ErrorCode.MESSAGE_SIZE_OUT_OF_BOUNDS,
        "body: Message size out of bounds: the message is 128001 bytes (body "
        + "plus 100 bytes of metadata); the limit is 128000 bytes"));
    HttpResponse<Buffer> overInBatch = node.post(queue.path() + "/messages/batch", KEY_A,
        new JsonObject().put("messages",
        new JsonArray().add(new JsonObject().put("body", "a".repeat(127_901)).put("content_type", "text"))));
    assertExactError(overInBatch, CLOUDFLARE, new FerryException(ErrorCode.MESSAGE_SIZE_OUT_OF_BOUNDS,
        "messages[0].body: Message size out of bounds: the message is "
        + "128001 bytes (body plus 100 bytes of metadata); the limit is 128000 bytes"));
    assertNothingStored();

    assertEquals(200, node.post(push, KEY_A, new JsonObject().put("body", "a".repeat(127_900))
        .put("content_type", "text")).statusCode());
    assertEquals(127_900, node.history(queue.id()).messages().get(0).body().length);
  }

  @Test
  void aBatchCountsEveryMessagesMetadataAgainstCloudflares256000Bytes() {
    String batch = queue.path() + "/messages/batch";
    // Three messages: 85,234 + 85,234 + 85,233 bytes of body and 3 x 100 of metadata = 256,001 bytes.
    JsonArray over = new JsonArray()
        .add(new JsonObject().put("body", "a".repeat(85_234)).put("content_type", "text"))
        .add(new JsonObject().put("body", "b".repeat(85_234)).put("content_type", "text"))
        .add(new JsonObject().put("body", "c".repeat(85_233)).put("content_type", "text"));
    assertExactError(node.post(batch, KEY_A, new JsonObject().put("messages", over)),
        CLOUDFLARE, new FerryException(ErrorCode.BATCH_SIZE_OUT_OF_BOUNDS,
            "messages: Batch size out of bounds: the batch is 256001 bytes (bodies plus 100 bytes of metadata per "
            + "message); the limit is 256000 bytes"));
    assertNothingStored();

    // Two messages each exactly at the message limit fill the batch limit exactly.
    JsonArray exact = new JsonArray()
        .add(new JsonObject().put("body", "a".repeat(127_900)).put("content_type", "text"))
        .add(new JsonObject().put("body", "b".repeat(127_900)).put("content_type", "text"));
    assertEquals(200, node.post(batch, KEY_A, new JsonObject().put("messages", exact)).statusCode());
    assertEquals(2, node.history(queue.id()).messages().size());
  }

  @Test
  void unknownPullAndAckFieldsAreRefusedNamingTheField() {
    node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "x"));
    assertExactError(node.post(queue.path() + "/messages/pull", KEY_A,
        new JsonObject().put("visibility_timeout", 60_000)),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
            "visibility_timeout: unknown field; this body takes batch_size, visibility_timeout_ms, wait_ms"));
    assertExactError(node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put("ack", new JsonArray())),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD, "ack: unknown field; this body takes acks, retries"));
    assertExactError(node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put("acks", new JsonArray()
        .add(new JsonObject().put("lease_id", "l").put("delay_seconds", 5)))),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
            "acks[0].delay_seconds: unknown field; this body takes lease_id"));
    assertExactError(node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put("retries", new JsonArray()
        .add(new JsonObject().put("lease_id", "l").put("delay", 5)))),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
            "retries[0].delay: unknown field; this body takes lease_id, delay_seconds"));
    assertExactError(node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("x".repeat(10_000), 1)),
        CLOUDFLARE, new FerryException(ErrorCode.INVALID_FIELD,
            "x".repeat(64) + "...: unknown field; this body takes batch_size, visibility_timeout_ms, wait_ms"));
    // Nothing was leased: the message is still there for a valid pull.
    assertEquals(1, pull(new JsonObject().put("visibility_timeout_ms", 60_000).put("batch_size", 1))
        .getJsonArray("messages").size());
  }

  @Test
  void aRetryDelayOutOfRangeIsInvalidMetadataAndRetriesNothing() {
    node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "x"));
    String lease = pull(new JsonObject()).getJsonArray("messages").getJsonObject(0).getString("lease_id");
    assertExactError(node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put("retries", new JsonArray()
        .add(new JsonObject().put("lease_id", lease).put("delay_seconds", 43_201)))),
        CLOUDFLARE, new FerryException(ErrorCode.MESSAGE_METADATA_INVALID,
            "retries[0].delay_seconds: must be between 0 and 43200, got 43201"));
    // The lease is still usable: the refused request settled nothing.
    JsonObject acked = ack(new JsonObject().put("acks", new JsonArray().add(new JsonObject().put("lease_id", lease))));
    assertEquals(new JsonObject().put("ackCount", 1).put("retryCount", 0).put("warnings", new JsonObject()), acked);
  }

  @Test
  void ackWarningsAreAMapFromLeaseIdToMessage() {
    node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "x"));
    String lease = pull(new JsonObject()).getJsonArray("messages").getJsonObject(0).getString("lease_id");
    ack(new JsonObject().put("acks", new JsonArray().add(new JsonObject().put("lease_id", lease))));
    JsonObject again = ack(new JsonObject()
        .put("acks", new JsonArray().add(new JsonObject().put("lease_id", lease)))
        .put("retries", new JsonArray().add(new JsonObject().put("lease_id", "nope"))));
    String unusable = " is unknown, was redelivered after it expired, or was already acked, retried, missed or "
        + "released";
    assertEquals(new JsonObject().put("ackCount", 0).put("retryCount", 0).put("warnings", new JsonObject()
        .put(lease, "lease " + lease + unusable).put("nope", "lease nope" + unusable)), again);
  }

  @Test
  void malformedAckBodiesGetTheirCloudflareErrorsAndSettleNothing() {
    node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "x"));
    String lease = pull(new JsonObject()).getJsonArray("messages").getJsonObject(0).getString("lease_id");
    String ack = queue.path() + "/messages/ack";
    FerryException notJson = new FerryException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON");
    String acks = "{\"acks\": [{\"lease_id\": \"" + lease + "\"}]";
    assertExactError(node.post(ack, KEY_A, Buffer.buffer(acks)), CLOUDFLARE, notJson);
    assertExactError(node.post(ack, KEY_A, Buffer.buffer(acks + "} trailing")), CLOUDFLARE, notJson);
    assertExactError(node.post(ack, KEY_A, Buffer.buffer("[" + acks + "}]")), CLOUDFLARE,
        new FerryException(ErrorCode.INVALID_FIELD, "request body must be a JSON object"));
    assertExactError(node.post(ack, KEY_A, Buffer.buffer("{\"acks\": [{\"lease_id\": null}]}")), CLOUDFLARE,
        new FerryException(ErrorCode.INVALID_FIELD, "acks[0].lease_id: is required"));
    assertExactError(node.post(ack, KEY_A, Buffer.buffer("{\"acks\": [\"" + lease + "\"]}")), CLOUDFLARE,
        new FerryException(ErrorCode.INVALID_FIELD, "acks[0]: must be an object"));
    assertExactError(node.post(ack, KEY_A, Buffer.buffer("{\"retries\": [{\"lease_id\": \"" + lease
        + "\", \"delay_seconds\": 1.5}]}")), CLOUDFLARE, new FerryException(ErrorCode.MESSAGE_METADATA_INVALID,
        "retries[0].delay_seconds: must be a whole number between 0 and 43200"));
    // Every refusal left the lease as it was.
    assertEquals(new JsonObject().put("ackCount", 1).put("retryCount", 0).put("warnings", new JsonObject()),
        ack(new JsonObject().put("acks", new JsonArray().add(new JsonObject().put("lease_id", lease)))));
  }

  @Test
  void unusualButValidAckBodiesAreReadAsAJsonObjectReadsThem() {
    for (int i = 0; i < 3; i++) {
      node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "m" + i));
    }
    JsonArray messages = pull(new JsonObject().put("batch_size", 3)).getJsonArray("messages");
    String first = messages.getJsonObject(0).getString("lease_id");
    String second = messages.getJsonObject(1).getString("lease_id");
    String third = messages.getJsonObject(2).getString("lease_id");
    // A repeated field keeps its last value, a null array is no array, a whole 2.0 is 2 seconds.
    String body = "{\"acks\": [{\"lease_id\": \"unknown\"}], \"acks\": [{\"lease_id\": \"" + first + "\"}],"
        + " \"retries\": null}";
    assertEquals(new JsonObject().put("ackCount", 1).put("retryCount", 0).put("warnings", new JsonObject()),
        json(node.post(queue.path() + "/messages/ack", KEY_A, Buffer.buffer(body))).getJsonObject("result"));
    body = "{\"retries\": [{\"lease_id\": \"" + second + "\", \"delay_seconds\": 2.0}], \"acks\": [{\"lease_id\": \""
        + third + "\", \"lease_id\": \"" + third + "\"}]}";
    assertEquals(new JsonObject().put("ackCount", 1).put("retryCount", 1).put("warnings", new JsonObject()),
        json(node.post(queue.path() + "/messages/ack", KEY_A, Buffer.buffer(body))).getJsonObject("result"));
  }

  @Test
  void aPrettyPullIsTheSameAnswerIndented() {
    node.post(queue.path() + "/messages", KEY_A, new JsonObject().put("body", "caf\u00e9 \"x\"")
        .put("content_type", "text"));
    HttpResponse<Buffer> pretty = node.post(queue.path() + "/messages/pull?pretty=true", KEY_A,
        new JsonObject().put("visibility_timeout_ms", 1_000));
    assertEquals(200, pretty.statusCode(), pretty.bodyAsString());
    assertTrue(pretty.bodyAsString().contains("\n  \"result\" : {"), pretty.bodyAsString());
    JsonObject message = json(pretty).getJsonObject("result").getJsonArray("messages").getJsonObject(0);
    assertEquals("caf\u00e9 \"x\"", message.getString("body"));
    assertEquals("text", message.getJsonObject("metadata").getString("CF-Content-Type"));
    assertEquals(32, message.getString("lease_id").length());
  }

  private JsonObject pull(JsonObject body) {
    HttpResponse<Buffer> response = node.post(queue.path() + "/messages/pull", KEY_A, body);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result");
  }

  private JsonObject ack(JsonObject body) {
    HttpResponse<Buffer> response = node.post(queue.path() + "/messages/ack", KEY_A, body);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result");
  }

  private void assertNothingStored() {
    HistoryPage page = TestNode.await(Bus.request(node.vertx, Addresses.MESSAGING_HISTORY,
        new HistoryRequest(queue.id(), 1, null, 100)));
    assertEquals(0, page.headSequence());
    assertEquals(0, page.messages().size());
  }



}
