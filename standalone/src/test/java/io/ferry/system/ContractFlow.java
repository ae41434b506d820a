package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.contracts.testkit.ContractHttp;
import io.ferry.contracts.testkit.ContractHttp.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * One pass over the main operations of the three dialects, successes and errors, through a client that
 * checks every answer against /openapi.yaml; fails at the first answer the document does not describe.
 */
final class ContractFlow {

  private ContractFlow() {
  }

  static void run(ContractHttp http, String key) {
    operations(http);
    cloudflare(http, key);
    discue(http, key);
    sonya(http, key);
  }

  private static void operations(ContractHttp http) {
    for (String path : List.of("/health/live", "/health/ready", "/metrics", "/openapi.yaml", "/docs",
        "/docs/start.js", "/docs/swagger-ui.css")) {
      expect(200, http.get(path, null));
    }
    expect(404, http.get("/docs/nothing.js", null));
  }

  private static void cloudflare(ContractHttp http, String key) {
    Reply accounts = http.get("/client/v4/accounts", key);
    assertEquals(200, accounts.status(), accounts::toString);
    String account = accounts.object().getJsonArray("result").getJsonObject(0).getString("id");
    String cf = "/client/v4/accounts/" + account;
    Reply created = http.post(cf + "/queues", new JsonObject().put("queue_name", "contract-orders"), key);
    assertEquals(200, created.status(), created::toString);
    String queue = cf + "/queues/" + created.result().getString("queue_id");
    expect(409, http.post(cf + "/queues", new JsonObject().put("queue_name", "contract-orders"), key));
    expect(400, http.post(cf + "/queues", new JsonObject().put("queue_name", 7), key));
    expect(401, http.get(cf + "/queues", null));
    expect(401, http.get(cf + "/queues", "not-a-key"));
    expect(200, http.get(cf + "/queues?per_page=10", key));
    expect(200, http.get("/accounts/" + account + "/queues/" + created.result().getString("queue_id"), key));
    expect(404, http.get(cf + "/queues/00000000000000000000000000000000", key));
    expect(200, http.send("PATCH", queue, new JsonObject().put("settings",
        new JsonObject().put("delivery_delay", 0)), key, Map.of()));
    expect(200, http.post(queue + "/consumers", new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("batch_size", 10)), key));
    expect(400, http.post(queue + "/consumers", new JsonObject().put("type", "worker"), key));
    expect(200, http.get(queue + "/consumers", key));
    expect(200, http.post(queue + "/messages", new JsonObject().put("body", new JsonObject().put("order", 42)), key));
    expect(200, http.post(queue + "/messages/batch", new JsonObject().put("messages", new JsonArray()
        .add(new JsonObject().put("body", "hello").put("content_type", "text"))), key));
    expect(400, http.post(queue + "/messages", new JsonObject().put("body", "x").put("content_type", "yaml"), key));
    expect(200, http.post(queue + "/messages/peek", new JsonObject().put("batch_size", 5), key));
    expect(200, http.get(queue + "/metrics", key));
    expect(200, http.get(queue + "/metrics/history?minutes=5", key));
    expect(400, http.get(queue + "/metrics/history?minutes=0", key));
    Reply pulled = http.post(queue + "/messages/pull", new JsonObject().put("batch_size", 10), key);
    assertEquals(200, pulled.status(), pulled::toString);
    JsonArray acks = new JsonArray();
    pulled.result().getJsonArray("messages").forEach(m ->
        acks.add(new JsonObject().put("lease_id", ((JsonObject) m).getString("lease_id"))));
    assertFalse(acks.isEmpty(), pulled::toString);
    acks.add(new JsonObject().put("lease_id", "no-such-lease"));
    expect(200, http.post(queue + "/messages/ack", new JsonObject().put("acks", acks), key));
    expect(200, http.post(queue + "/messages/purge", new JsonObject().put("refs",
        new JsonArray().add(new JsonObject().put("ref", "00000000000000000000000000000000"))), key));
    expect(200, http.get(queue + "/purge", key));
    expect(200, http.get(cf + "/event_subscriptions/subscriptions", key));
    expect(200, http.send("DELETE", queue, null, key, Map.of()));
  }

  private static void discue(ContractHttp http, String key) {
    Reply created = http.post("/v1/queues", new JsonObject().put("name", "contract-events"), key);
    assertEquals(200, created.status(), created::toString);
    String queueId = created.object().getJsonObject("queue").getString("id");
    String queue = "/v1/queues/" + queueId;
    expect(422, http.post("/v1/queues", new JsonObject().put("name", "contract-events"), key));
    expect(400, http.post("/v1/queues", new JsonObject(), key));
    expect(401, http.get("/v1/queues", null));
    expect(200, http.get("/v1/queues", key));
    expect(200, http.get(queue + "?pretty=true", key));
    expect(404, http.get("/v1/queues/00000000000000000000000000000000", key));
    Reply message = http.post(queue + "/messages", new JsonObject().put("name", "order-1")
        .put("data", new JsonObject().put("order", 1)), key);
    assertEquals(200, message.status(), message::toString);
    String messageId = message.object().getJsonObject("message").getString("id");
    expect(200, http.get(queue + "/messages?limit=10", key));
    expect(200, http.get("/v1/messages", key));
    expect(200, http.get(queue + "/messages/" + messageId, key));
    expect(400, http.get(queue + "/messages?limit=0", key));
    Reply listener = http.post(queue + "/listeners", new JsonObject().put("name", "contract-hook")
        .put("notify_url", "http://127.0.0.1:9/hook").put("liveness_url", "http://127.0.0.1:9/alive"), key);
    assertEquals(200, listener.status(), listener::toString);
    String listenerPath = queue + "/listeners/" + listener.object().getJsonObject("listener").getString("id");
    expect(200, http.get(listenerPath, key));
    expect(200, http.get(queue + "/listeners", key));
    expect(200, http.get("/v1/listeners", key));
    expect(422, http.post(queue + "/listeners", new JsonObject().put("name", "bad")
        .put("notify_url", "ftp://example").put("liveness_url", "ftp://example"), key));
    expect(200, http.post(listenerPath + "/redeliver", new JsonObject(), key));
    expect(200, http.get(listenerPath + "/attempts?limit=10", key));
    expect(400, http.get(listenerPath + "/attempts?limit=0", key));
    expect(200, http.get(queue + "/messages/" + messageId + "/attempts", key));
    expect(200, http.post(listenerPath + "/redeliver_missed", new JsonObject().put("since", "2026-01-01T00:00:00Z"),
        key));
    expect(400, http.post(listenerPath + "/redeliver_missed", new JsonObject().put("since", "yesterday"), key));
    expect(200, http.send("DELETE", listenerPath, null, key, Map.of()));
    expect(200, http.send("DELETE", queue + "/messages/" + messageId, null, key, Map.of()));
    expect(200, http.get("/v1/events?limit=5", key));
    expect(200, http.get("/v1/api_keys", key));
    expect(200, http.get("/v1/api_clients", key));
    expect(201, http.post("/v1/backups", new JsonObject().put("name", "contract-backup"), key));
    expect(422, http.post("/v1/backups", new JsonObject().put("name", "contract-backup"), key));
    expect(400, http.post("/v1/backups", new JsonObject().put("name", "../elsewhere"), key));
    expect(200, http.send("DELETE", queue, null, key, Map.of()));
  }

  private static void sonya(ContractHttp http, String key) {
    expect(201, http.post("/queue/create/contract-feed", null, key));
    expect(401, http.post("/queue/create/contract-feed", null, null));
    Reply sent = http.post("/queue/send/contract-feed", new JsonObject().put("id", "order-1")
        .put("payload", new JsonObject().put("total", 12.5)), key);
    assertEquals(200, sent.status(), sent::toString);
    expect(404, http.post("/queue/send/contract-nowhere", new JsonObject().put("id", "x").put("payload", 1), key));
    expect(400, http.post("/queue/send/contract-feed", new JsonObject().put("payload", 1), key));
    Reply polled = http.get("/queue/listen/longpoll/contract-feed?sequence=first&timeout_ms=0", key);
    assertEquals(200, polled.status(), polled::toString);
    assertEquals(1, polled.array().size(), polled::toString);
    expect(200, http.get("/queue/listen/longpoll/contract-feed/order-1?sequence=first&timeout_ms=0", key));
    assertEquals("order-1", new JsonObject(http.firstWebSocketFrame("/queue/listen/ws/contract-feed?sequence=first",
        key)).getString("id"));
    expect(400, http.get("/queue/listen/longpoll/contract-feed?sequence=soon", key));
    expect(200, http.post("/queue/generate_jwt/contract-feed/order-1", null, key));
    expect(200, http.post("/queue/delete/contract-feed/order-1", null, key));
    expect(200, http.post("/queue/close/contract-feed", null, key));
  }

  private static void expect(int status, Reply reply) {
    assertEquals(status, reply.status(), reply::toString);
  }
}
