package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.await;
import static io.ferry.messaging.TestNode.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases, acks, retries, delays, pausing and long polling as the HTTP routes carry them. The timing rules
 * themselves are checked on the engine with a set clock ({@code core.DeliveryRulesTest}).
 */
class DeliverySemanticsTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();
  @RegisterExtension
  final TestQueue queue = TestQueue.withPullConsumer(node);

  @Test
  void aLeasedMessageIsHiddenAnAckRemovesItAndASecondAckIsAWarning() {
    push(new JsonObject().put("body", "once"));
    JsonObject message = pullOne(30_000);
    assertEquals(1, message.getInteger("attempts"));
    assertEquals(0, pull(new JsonObject()).size(), "leased messages are hidden");
    JsonObject acked = ack("acks", message.getString("lease_id"));
    assertEquals(1, acked.getInteger("ackCount"));
    assertEquals(new JsonObject(), acked.getJsonObject("warnings"));
    JsonObject again = ack("acks", message.getString("lease_id"));
    assertEquals(0, again.getInteger("ackCount"));
    assertEquals(List.of(message.getString("lease_id")), List.copyOf(again.getJsonObject("warnings").fieldNames()));
    assertEquals(0, backlog());
  }

  @Test
  void aRetryWithDelaySecondsKeepsTheMessageInTheBacklogButHidden() {
    push(new JsonObject().put("body", "retry me"));
    JsonObject message = pullOne(30_000);
    JsonObject result = json(node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put("retries",
        new JsonArray().add(new JsonObject().put("lease_id", message.getString("lease_id")).put("delay_seconds", 60)))))
        .getJsonObject("result");
    assertEquals(1, result.getInteger("retryCount"));
    assertEquals(0, pull(new JsonObject()).size());
    assertEquals(1, backlog());
  }

  @Test
  void aMessageDelayBeatsTheBatchDelay() {
    node.post(queue.path() + "/messages/batch", KEY_A, new JsonObject().put("delay_seconds", 60).put("messages",
        new JsonArray().add(new JsonObject().put("body", "now").put("content_type", "text").put("delay_seconds", 0))
            .add(new JsonObject().put("body", "batch-delayed"))));
    push(new JsonObject().put("body", "later").put("delay_seconds", 60));
    JsonArray immediate = pull(new JsonObject().put("batch_size", 10));
    assertEquals(1, immediate.size());
    assertEquals("now", immediate.getJsonObject(0).getString("body"));
    assertEquals(3, backlog());
  }

  @Test
  void aBatchDelayBeatsTheQueueDelay() {
    node.upsertQueue(withSettings(new QueueSettings(60, false, 345_600)));
    node.post(queue.path() + "/messages/batch", KEY_A, new JsonObject().put("delay_seconds", 0).put("messages",
        new JsonArray().add(new JsonObject().put("body", "now"))));
    assertEquals(1, pull(new JsonObject()).size());
  }

  @Test
  void pullingAPausedQueueIsAConflictAndLeasingItFails() {
    SubscriptionSpec listener = node.subscribe(queue.id(), SubscriptionSpec.Kind.LISTENER);
    node.upsertQueue(withSettings(new QueueSettings(0, true, 345_600)));
    push(new JsonObject().put("body", "while paused"));
    assertEquals(409, node.post(queue.path() + "/messages/pull", KEY_A, new JsonObject().put("wait_ms", 10_000))
        .statusCode(), "pull while paused");
    assertEquals(ErrorCode.DELIVERY_PAUSED, TestNode.failure(Bus.request(node.vertx, Addresses.MESSAGING_LEASE,
        new LeaseRequest(queue.id(), listener.id(), 10, 30_000, 0))).code());
    node.upsertQueue(queue.info());
    assertEquals(1, pull(new JsonObject()).size());
  }

  @Test
  void aLongPollGetsAMessagePushedWhileItWaits() {
    Future<HttpResponse<Buffer>> waiting = node.postAsync(queue.path() + "/messages/pull", KEY_A,
        new JsonObject().put("wait_ms", 10_000).toBuffer());
    push(new JsonObject().put("body", "wake up").put("content_type", "text"));
    JsonArray messages = json(await(waiting)).getJsonObject("result").getJsonArray("messages");
    assertEquals(1, messages.size());
    assertEquals("wake up", messages.getJsonObject(0).getString("body"));
  }

  private QueueInfo withSettings(QueueSettings settings) {
    return new QueueInfo(queue.id(), ACCOUNT_A, queue.name(), 1, 2, settings);
  }

  private int backlog() {
    return json(node.get(queue.path() + "/metrics", KEY_A)).getJsonObject("result").getInteger("backlog_count");
  }

  private void push(JsonObject body) {
    assertEquals(200, node.post(queue.path() + "/messages", KEY_A, body).statusCode());
  }

  private JsonArray pull(JsonObject body) {
    HttpResponse<Buffer> response = node.post(queue.path() + "/messages/pull", KEY_A, body);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result").getJsonArray("messages");
  }

  private JsonObject pullOne(int visibilityTimeoutMs) {
    JsonArray messages = pull(new JsonObject().put("visibility_timeout_ms", visibilityTimeoutMs));
    assertEquals(1, messages.size());
    return messages.getJsonObject(0);
  }

  private JsonObject ack(String kind, String leaseId) {
    HttpResponse<Buffer> response = node.post(queue.path() + "/messages/ack", KEY_A, new JsonObject().put(kind,
        new JsonArray().add(new JsonObject().put("lease_id", leaseId))));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response).getJsonObject("result");
  }
}
