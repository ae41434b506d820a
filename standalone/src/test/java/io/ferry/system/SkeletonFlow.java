package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.WebhookReceiver;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Base64;

/**
 * The walking skeleton as a user would drive it: create a queue (Cloudflare dialect), add an http_pull
 * consumer, register a discue webhook listener, follow the queue on a Sonya WebSocket, push one message,
 * and see it arrive live, signed at the webhook, and through pull + ack exactly once.
 */
final class SkeletonFlow {

  /** Where each service's routes are served: one base URL for standalone, one per service in a cluster. */
  record Endpoints(String admin, String messaging, String gateway) {

    static Endpoints single(String base) {
      return new Endpoints(base, base, base);
    }
  }

  private static final Duration ARRIVAL = Duration.ofSeconds(20);

  private SkeletonFlow() {
  }

  static String accountId(HttpJson http, String adminBase) throws Exception {
    HttpJson.Reply accounts = http.get(adminBase + "/client/v4/accounts");
    assertEquals(200, accounts.status(), accounts::toString);
    JsonArray result = accounts.object().getJsonArray("result");
    assertEquals(1, result.size(), accounts::toString);
    return result.getJsonObject(0).getString("id");
  }

  static void run(Endpoints at, String token, String queueName) throws Exception {
    HttpJson http = new HttpJson(token);
    String cf = "/client/v4/accounts/" + accountId(http, at.admin());

    HttpJson.Reply created = http.post(at.admin() + cf + "/queues", new JsonObject().put("queue_name", queueName));
    assertEquals(200, created.status(), created::toString);
    String queueId = created.result().getString("queue_id");
    assertEquals(queueName, created.result().getString("queue_name"));
    String queue = cf + "/queues/" + queueId;

    HttpJson.Reply consumer = http.post(at.admin() + queue + "/consumers", new JsonObject()
        .put("type", "http_pull").put("settings", new JsonObject().put("batch_size", 10)));
    assertEquals(200, consumer.status(), consumer::toString);

    try (WebhookReceiver receiver = WebhookReceiver.started();
        LiveSubscriber live = LiveSubscriber.connect(http.client(), at.gateway().replace("http://", "ws://")
            + "/queue/listen/ws/" + queueName + "?access_token=" + token)) {
      HttpJson.Reply listener = http.post(at.admin() + "/v1/queues/" + queueId + "/listeners", new JsonObject()
          .put("name", "skeleton-listener")
          .put("notify_url", receiver.hookUrl())
          .put("liveness_url", receiver.livenessUrl()));
      assertEquals(200, listener.status(), listener::toString);
      String secret = listener.object().getJsonObject("listener").getString("secret");
      assertTrue(secret.startsWith("whsec_"), secret);

      JsonObject payload = new JsonObject().put("hello", "ferry").put("n", 1);
      HttpJson.Reply pushed = http.post(at.messaging() + queue + "/messages", new JsonObject().put("body", payload));
      assertEquals(200, pushed.status(), pushed::toString);
      assertEquals(true, pushed.object().getBoolean("success"));

      JsonObject frame = live.next(ARRIVAL);
      assertEquals(payload, frame.getJsonObject("payload"), frame::encode);
      long sequence = frame.getLong("sequence");
      assertTrue(sequence >= 1, frame::encode);
      String messageId = frame.getString("id");

      WebhookReceiver.Received delivery = receiver.next(ARRIVAL);
      delivery.verify(secret);
      JsonObject webhook = delivery.json();
      assertEquals(messageId, webhook.getString("id"), delivery::body);
      assertEquals(queueId, webhook.getString("queue_id"), delivery::body);
      assertEquals(queueName, webhook.getString("queue_name"), delivery::body);
      assertEquals(sequence, webhook.getLong("sequence"), delivery::body);
      assertEquals(payload, webhook.getJsonObject("data"), delivery::body);
      assertEquals(messageId, delivery.header("webhook-id"));

      JsonObject pulled = pull(http, at.messaging() + queue);
      JsonArray messages = pulled.getJsonArray("messages");
      assertEquals(1, messages.size(), pulled::encode);
      JsonObject message = messages.getJsonObject(0);
      assertEquals(messageId, message.getString("id"));
      assertEquals(payload, new JsonObject(new String(Base64.getDecoder().decode(message.getString("body")))));
      String leaseId = message.getString("lease_id");
      assertNotNull(leaseId);

      HttpJson.Reply acked = http.post(at.messaging() + queue + "/messages/ack", new JsonObject()
          .put("acks", new JsonArray().add(new JsonObject().put("lease_id", leaseId))));
      assertEquals(200, acked.status(), acked::toString);
      assertEquals(1, acked.result().getInteger("ackCount"), acked::toString);

      JsonObject again = pull(http, at.messaging() + queue);
      assertEquals(0, again.getJsonArray("messages").size(), () -> "acked message came back: " + Json.encode(again));
    }
  }

  private static JsonObject pull(HttpJson http, String queueUrl) throws Exception {
    HttpJson.Reply pulled = http.post(queueUrl + "/messages/pull", new JsonObject()
        .put("batch_size", 10).put("visibility_timeout_ms", 30_000));
    assertEquals(200, pulled.status(), pulled::toString);
    return pulled.result();
  }
}
