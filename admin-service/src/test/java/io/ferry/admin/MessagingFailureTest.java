package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.contracts.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change messaging-service did not take is not kept: the client sees the error and nothing is stored. One
 * node for the class: each test breaks messaging its own way, on queues of its own, and heals it after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagingFailureTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String key = admin.rootKey();
  private final String base = "/accounts/" + admin.accountId();

  @AfterEach
  void healMessaging() throws Exception {
    admin.messaging.failOn(null);
    if (!admin.messaging.registered()) {
      admin.messaging.register();
    }
  }

  private int errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code");
  }

  private String queueNames() throws Exception {
    return admin.get(base + "/queues", key).bodyAsString();
  }

  @Test
  void unreachableMessagingLeavesNoQueue() throws Exception {
    admin.messaging.unregister();
    HttpResponse<Buffer> response = admin.post(base + "/queues", key, new JsonObject().put("queue_name", "lost"));
    assertEquals(503, response.statusCode(), response.bodyAsString());
    assertEquals(11010, errorCode(response));
    assertFalse(queueNames().contains("lost"));
    HttpResponse<Buffer> sonya = admin.post("/queue/create/lost", key, null);
    assertEquals(503, sonya.statusCode());
    assertEquals("unavailable", sonya.bodyAsJsonObject().getString("code"));
    assertEquals(503, admin.post("/v1/queues", key, new JsonObject().put("name", "lost")).statusCode());
    assertFalse(queueNames().contains("lost"));

    admin.messaging.register();
    assertEquals(200, admin.post(base + "/queues", key, new JsonObject().put("queue_name", "lost")).statusCode());
  }

  @Test
  void refusedQueueCommandLeavesNoQueue() throws Exception {
    admin.messaging.failOn(Addresses.MESSAGING_QUEUE_UPSERT);
    HttpResponse<Buffer> response = admin.post(base + "/queues", key, new JsonObject().put("queue_name", "refused"));
    assertEquals(500, response.statusCode());
    assertFalse(queueNames().contains("refused"));
    admin.messaging.failOn(null);
    assertEquals(200, admin.post(base + "/queues", key, new JsonObject().put("queue_name", "refused")).statusCode());
  }

  @Test
  void failedSubscriptionLeavesNoConsumerAndNoNewDeadLetterQueue() throws Exception {
    String queueId = admin.post(base + "/queues", key, new JsonObject().put("queue_name", "main"))
        .bodyAsJsonObject().getJsonObject("result").getString("queue_id");
    admin.messaging.failOn(Addresses.MESSAGING_SUBSCRIPTION_UPSERT);
    HttpResponse<Buffer> response = admin.post(base + "/queues/" + queueId + "/consumers", key,
        new JsonObject().put("type", "http_pull").put("dead_letter_queue", "main-dead"));
    assertEquals(500, response.statusCode(), response.bodyAsString());
    assertEquals(0, admin.get(base + "/queues/" + queueId + "/consumers", key).bodyAsJsonObject()
        .getJsonArray("result").size());
    assertFalse(queueNames().contains("main-dead"));
    assertEquals(0, admin.events("consumer.created").stream()
        .filter(e -> e.payload().getString("queue_id").equals(queueId)).count());
    assertEquals(0, admin.events("queue.created").stream()
        .filter(e -> e.payload().getString("queue_name").equals("main-dead")).count());

    admin.messaging.failOn(null);
    HttpResponse<Buffer> retried = admin.post(base + "/queues/" + queueId + "/consumers", key,
        new JsonObject().put("type", "http_pull").put("dead_letter_queue", "main-dead"));
    assertEquals(200, retried.statusCode(), retried.bodyAsString());
  }

  @Test
  void failedSubscriptionLeavesNoListener() throws Exception {
    String queueId = admin.post("/v1/queues", key, new JsonObject().put("name", "listened"))
        .bodyAsJsonObject().getJsonObject("queue").getString("id");
    admin.messaging.unregister();
    HttpResponse<Buffer> response = admin.post("/v1/queues/" + queueId + "/listeners", key, new JsonObject()
        .put("name", "l").put("notify_url", "https://93.184.215.14/n").put("liveness_url", "https://93.184.215.14/l"));
    assertEquals(503, response.statusCode(), response.bodyAsString());
    assertEquals("Service Unavailable", response.bodyAsJsonObject().getString("title"));
    assertEquals(0, admin.get("/v1/listeners", key).bodyAsJsonObject().getJsonArray("listeners").size());
  }

  @Test
  void failedDeleteKeepsTheQueue() throws Exception {
    String queueId = admin.post(base + "/queues", key, new JsonObject().put("queue_name", "kept"))
        .bodyAsJsonObject().getJsonObject("result").getString("queue_id");
    admin.messaging.unregister();
    HttpResponse<Buffer> response = admin.call(io.vertx.core.http.HttpMethod.DELETE, base + "/queues/" + queueId,
        key, null);
    assertEquals(503, response.statusCode());
    assertEquals(200, admin.get(base + "/queues/" + queueId, key).statusCode());
  }
}
