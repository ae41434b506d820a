package io.ferry.messaging;

import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.error.Dialect.SONYA;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.KEY_B;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sonya send and discue message creation: shapes, the client sequence rule and errors in each format. */
class SonyaAndDiscueRoutesTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @RegisterExtension
  final TestQueue queue = TestQueue.withoutConsumers(node);

  @Test
  void sonyaSendStoresThePayloadKeyedById() {
    HttpResponse<Buffer> sent = send(new JsonObject().put("id", "user-1").put("payload", new JsonObject().put("x", 1)));
    assertEquals(200, sent.statusCode());
    assertEquals(new JsonObject().put("success", true).put("sequence", 1), json(sent));

    StoredMessage stored = history(null).messages().get(0);
    assertEquals("user-1", stored.key());
    assertEquals(ContentType.JSON, stored.contentType());
    assertEquals("{\"x\":1}", new String(stored.body(), StandardCharsets.UTF_8));
  }

  @Test
  void aClientSequenceMustExceedTheQueuesLastSequence() {
    send(new JsonObject().put("id", "a").put("payload", 1));
    assertEquals(10, json(send(new JsonObject().put("id", "a").put("payload", 2).put("sequence", 10)))
        .getInteger("sequence"));
    HttpResponse<Buffer> conflict = send(new JsonObject().put("id", "a").put("payload", 3).put("sequence", 10));
    assertEquals(409, conflict.statusCode());
    assertEquals("sequence_conflict", json(conflict).getString("code"));
    assertEquals(false, json(conflict).getBoolean("success"));
    assertEquals(11, json(send(new JsonObject().put("id", "b").put("payload", 4))).getInteger("sequence"));
    assertEquals(List.of(1L, 10L, 11L), history(null).messages().stream().map(StoredMessage::sequence).toList());
    assertEquals(List.of(1L, 10L), history("a").messages().stream().map(StoredMessage::sequence).toList());
  }

  @Test
  void concurrentSendsGetDistinctIncreasingSequences() {
    List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sends.add(node.postAsync("/queue/send/" + queue.name(), KEY_A,
          new JsonObject().put("id", "c").put("payload", i).toBuffer()));
    }
    Set<Integer> sequences = new HashSet<>();
    for (Future<HttpResponse<Buffer>> send : sends) {
      sequences.add(json(await(send)).getInteger("sequence"));
    }
    assertEquals(40, sequences.size());
    assertEquals(40, history(null).headSequence());
  }

  @Test
  void sonyaErrorsUseTheSonyaFormatAndChangeNothing() {
    JsonObject valid = new JsonObject().put("id", "a").put("payload", 1);
    assertError(node.post("/queue/send/no-such-queue", KEY_A, valid), SONYA, ErrorCode.QUEUE_NOT_FOUND);
    assertError(node.post("/queue/send/" + queue.name(), KEY_B, valid), SONYA, ErrorCode.QUEUE_NOT_FOUND);
    assertError(node.post("/queue/send/" + queue.name(), null, valid), SONYA, ErrorCode.UNAUTHENTICATED);
    assertError(send(new JsonObject().put("payload", 1)), SONYA, ErrorCode.INVALID_FIELD);
    assertError(send(new JsonObject().put("id", "a")), SONYA, ErrorCode.INVALID_FIELD);
    assertError(send(new JsonObject().put("id", 7).put("payload", 1)), SONYA, ErrorCode.INVALID_FIELD);
    assertError(send(valid.copy().put("sequence", 0)), SONYA, ErrorCode.INVALID_FIELD);
    assertError(node.post("/queue/send/" + queue.name(), KEY_A, Buffer.buffer("{")), SONYA, ErrorCode.MALFORMED_JSON);
    assertEquals(0, history(null).headSequence());
  }

  @Test
  void discueMessageIsStoredAsTextKeyedByName() {
    HttpResponse<Buffer> created = node.post("/v1/queues/" + queue.id() + "/messages", KEY_A,
        new JsonObject().put("name", "order-created").put("data", "hello"));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject message = json(created).getJsonObject("message");
    assertEquals("order-created", message.getString("name"));
    assertEquals("/v1/queues/" + queue.id() + "/messages/" + message.getString("id"),
        json(created).getJsonObject("_links").getJsonObject("self").getString("href"));

    StoredMessage stored = history(null).messages().get(0);
    assertEquals(message.getString("id"), stored.id());
    assertEquals("order-created", stored.key());
    assertEquals(ContentType.TEXT, stored.contentType());
    assertEquals("hello", new String(stored.body(), StandardCharsets.UTF_8));
  }

  @Test
  void discueErrorsAreProblemDocumentsAndChangeNothing() {
    String messages = "/v1/queues/" + queue.id() + "/messages";
    assertError(node.post(messages, KEY_A, new JsonObject().put("name", "n")),
        DISCUE, ErrorCode.INVALID_FIELD, "data:");
    assertError(node.post(messages, KEY_A, new JsonObject().putNull("data")), DISCUE, ErrorCode.INVALID_FIELD, "data:");
    assertError(node.post(messages, KEY_A, new JsonObject().put("data", "x").put("name", 1)),
        DISCUE, ErrorCode.INVALID_FIELD, "name:");
    assertError(node.post("/v1/queues/xyz/messages", KEY_A, new JsonObject().put("data", "x")),
        DISCUE, ErrorCode.NOT_FOUND);
    assertError(node.post(messages, KEY_B, new JsonObject().put("data", "x")), DISCUE, ErrorCode.NOT_FOUND);
    assertError(node.post(messages, null, new JsonObject().put("data", "x")), DISCUE, ErrorCode.UNAUTHENTICATED);
    assertEquals(0, history(null).headSequence());
  }

  @Test
  void discueAnswersAnIdThatNamesNothing404WhateverItsForm() {
    String seedId = "180994c-b6b2-4d0e-b7ad-414716e83386";
    JsonObject notFound = new JsonObject().put("title", "Not Found").put("status", 404)
        .put("detail", "queue " + seedId + " does not exist");
    HttpResponse<Buffer> push = node.post("/v1/queues/" + seedId + "/messages", KEY_A,
        new JsonObject().put("data", "x"));
    assertError(push, DISCUE, ErrorCode.NOT_FOUND);
    assertEquals(notFound, json(push));
    assertEquals(notFound, json(node.get("/v1/queues/" + seedId + "/messages", KEY_A)));
    assertEquals(notFound, json(node.get("/v1/queues/" + seedId + "/messages/" + seedId, KEY_A)));
    assertEquals(notFound, json(node.delete("/v1/queues/" + seedId + "/messages/" + seedId, KEY_A)));
    assertError(node.get("/v1/queues/" + queue.id() + "/messages/" + seedId, KEY_A), DISCUE, ErrorCode.NOT_FOUND);
    assertError(node.delete("/v1/queues/" + queue.id() + "/messages/" + seedId, KEY_A), DISCUE, ErrorCode.NOT_FOUND);
    assertEquals(0, history(null).headSequence());
  }

  @Test
  void discuePrettyPrintsOnRequest() {
    HttpResponse<Buffer> created = node.post("/v1/queues/" + queue.id() + "/messages?pretty=true", KEY_A,
        new JsonObject().put("data", "x"));
    assertEquals(200, created.statusCode());
    assertEquals(json(created).encodePrettily(), created.bodyAsString());
  }

  private HttpResponse<Buffer> send(JsonObject body) {
    return node.post("/queue/send/" + queue.name(), KEY_A, body);
  }

  private HistoryPage history(String key) {
    return await(Bus.request(node.vertx, Addresses.MESSAGING_HISTORY, new HistoryRequest(queue.id(), 1, key, 100)));
  }


}
