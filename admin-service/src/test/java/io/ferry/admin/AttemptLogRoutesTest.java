package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.WebhookAttempt;
import io.ferry.contracts.model.WebhookAttemptBatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attempt-log routes over real HTTP: attempts arrive as a dispatcher reports them (over the bus), are kept to
 * the configured bound, and are read per listener (paged) and per message; redeliver_missed asks messaging for
 * what was missed since a time. Every refusal is a discue problem document and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttemptLogRoutesTest {

  private static final int KEPT = 4;

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass(Map.of("admin.attempts-per-listener",
      String.valueOf(KEPT)));
  private final String key = admin.rootKey();
  private long clock = 1_767_225_600_000L;

  private String createListener(String queueId, String name) throws Exception {
    HttpResponse<Buffer> response = admin.post("/v1/queues/" + queueId + "/listeners", key,
        DiscueListenerRoutesTest.listenerBody(name));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("listener").getString("id");
  }

  private WebhookAttempt attempt(String queueId, String listenerId, String messageId, int number, Integer status,
      String excerpt) {
    return new WebhookAttempt(Ids.newId(), queueId, listenerId, messageId, number, clock += 1_000,
        status == null ? "timeout" : (status / 100) + "xx", status, status == null ? "no answer within 100 ms" : null,
        37, excerpt);
  }

  // Reports attempts as a dispatcher does, then waits until the listener's log shows the newest of them.
  private void report(String queueId, List<WebhookAttempt> attempts) {
    Bus.send(admin.node.vertx(), Endpoints.WEBHOOK_ATTEMPTS_RECORD, new WebhookAttemptBatch(attempts));
    WebhookAttempt newest = attempts.get(attempts.size() - 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonArray shown = admin.get(attemptsPath(queueId, newest.listenerId()) + "?limit=1", key).bodyAsJsonObject()
          .getJsonArray("attempts");
      return !shown.isEmpty() && shown.getJsonObject(0).getString("id").equals(newest.id());
    });
  }

  private static String attemptsPath(String queueId, String listenerId) {
    return "/v1/queues/" + queueId + "/listeners/" + listenerId + "/attempts";
  }

  private static List<String> ids(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("attempts").forEach(a -> ids.add(((JsonObject) a).getString("id")));
    return ids;
  }

  @Test
  void aListenersAttemptsArePagedNewestFirstAndBounded() throws Exception {
    String queueId = admin.discueQueue(key, "attempts-paged");
    String listenerId = createListener(queueId, "paged");
    String message = Ids.newId();
    List<WebhookAttempt> sent = new ArrayList<>();
    for (int i = 1; i <= KEPT + 2; i++) {
      sent.add(attempt(queueId, listenerId, message, i, i < KEPT + 2 ? 503 : 200, i < KEPT + 2 ? "busy" : "ok"));
    }
    report(queueId, sent.subList(0, 3));
    report(queueId, sent.subList(3, sent.size()));

    String path = attemptsPath(queueId, listenerId);
    HttpResponse<Buffer> first = admin.get(path + "?limit=3", key);
    assertEquals(200, first.statusCode(), first.bodyAsString());
    JsonObject page = first.bodyAsJsonObject();
    assertEquals(List.of(sent.get(5).id(), sent.get(4).id(), sent.get(3).id()), ids(page));
    JsonObject newest = page.getJsonArray("attempts").getJsonObject(0);
    assertEquals(new JsonObject()
        .put("id", sent.get(5).id())
        .put("timestamp", Instant.ofEpochMilli(sent.get(5).timestampMs()).toString())
        .put("message_id", message)
        .put("attempt", KEPT + 2)
        .put("outcome", "2xx")
        .put("status_code", 200)
        .put("error", null)
        .put("latency_ms", 37)
        .put("response_excerpt", "ok"), newest);
    assertEquals(path + "?limit=3", page.getJsonObject("_links").getJsonObject("self").getString("href"));
    String next = page.getJsonObject("_links").getJsonObject("next").getString("href");
    assertEquals(path + "?startAfterId=" + sent.get(3).id() + "&limit=3", next);

    JsonObject rest = admin.get(next, key).bodyAsJsonObject();
    assertEquals(List.of(sent.get(2).id()), ids(rest), "only the newest " + KEPT + " are kept");
    assertFalse(rest.getJsonObject("_links").containsKey("next"));
    assertEquals(KEPT, ids(admin.get(path, key).bodyAsJsonObject()).size(), "limit defaults to 50");
  }

  @Test
  void aMessagesAttemptsSpanTheQueuesListeners() throws Exception {
    String queueId = admin.discueQueue(key, "attempts-message");
    String one = createListener(queueId, "one");
    String two = createListener(queueId, "two");
    String message = Ids.newId();
    WebhookAttempt failed = attempt(queueId, one, message, 1, null, null);
    report(queueId, List.of(failed));
    WebhookAttempt delivered = attempt(queueId, two, message, 1, 204, null);
    WebhookAttempt otherMessage = attempt(queueId, two, Ids.newId(), 1, 204, null);
    report(queueId, List.of(delivered, otherMessage));

    String path = "/v1/queues/" + queueId + "/messages/" + message + "/attempts";
    HttpResponse<Buffer> answer = admin.get(path, key);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    JsonObject body = answer.bodyAsJsonObject();
    assertEquals(List.of(delivered.id(), failed.id()), ids(body));
    JsonObject timedOut = body.getJsonArray("attempts").getJsonObject(1);
    assertEquals("timeout", timedOut.getString("outcome"));
    assertNull(timedOut.getValue("status_code"));
    assertEquals("no answer within 100 ms", timedOut.getString("error"));
    assertEquals(path + "?limit=50", body.getJsonObject("_links").getJsonObject("self").getString("href"));
    assertEquals(List.of(), ids(admin.get("/v1/queues/" + queueId + "/messages/" + Ids.newId() + "/attempts", key)
        .bodyAsJsonObject()), "a message without attempts has an empty log");
  }

  @Test
  void deletingAListenerDeletesItsLog() throws Exception {
    String queueId = admin.discueQueue(key, "attempts-deleted");
    String listenerId = createListener(queueId, "deleted");
    String message = Ids.newId();
    report(queueId, List.of(attempt(queueId, listenerId, message, 1, 500, "oops")));
    assertEquals(200, admin.call(io.vertx.core.http.HttpMethod.DELETE, "/v1/queues/" + queueId + "/listeners/"
        + listenerId, key, null).statusCode());
    assertError(admin.get(attemptsPath(queueId, listenerId), key), DISCUE, ErrorCode.NOT_FOUND);
    await().atMost(Duration.ofSeconds(10)).until(() -> ids(admin.get("/v1/queues/" + queueId + "/messages/"
        + message + "/attempts", key).bodyAsJsonObject()).isEmpty());
  }

  @Test
  void redeliverMissedAsksForWhatWasMissedSinceTheTime() throws Exception {
    String queueId = admin.discueQueue(key, "attempts-missed");
    String listenerId = createListener(queueId, "missed");
    admin.messaging.missedCount = 3;
    HttpResponse<Buffer> answer = admin.post("/v1/queues/" + queueId + "/listeners/" + listenerId
        + "/redeliver_missed", key, new JsonObject().put("since", "2026-01-01T01:00:00+01:00"));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals(new JsonObject().put("redelivered", 3), answer.bodyAsJsonObject());
    assertEquals(List.of(new RedeliverRequest(queueId, listenerId, List.of(),
            Instant.parse("2026-01-01T00:00:00Z").toEpochMilli())),
        admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class).stream()
            .filter(r -> r.subscriptionId().equals(listenerId)).toList());
  }

  @Test
  void badRequestsAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
    String queueId = admin.discueQueue(key, "attempts-refused");
    String listenerId = createListener(queueId, "refused");
    String path = attemptsPath(queueId, listenerId);
    for (String limit : List.of("0", "201", "many", "-3")) {
      assertError(admin.get(path + "?limit=" + limit, key), DISCUE, ErrorCode.INVALID_FIELD, "limit");
      assertError(admin.get("/v1/queues/" + queueId + "/messages/" + Ids.newId() + "/attempts?limit=" + limit, key),
          DISCUE, ErrorCode.INVALID_FIELD, "limit");
    }
    assertError(admin.get(path + "?startAfterId=nope", key), DISCUE, ErrorCode.INVALID_FIELD, "startAfterId");
    assertError(admin.get(path + "?startAfterId=" + Ids.newId(), key), DISCUE, ErrorCode.INVALID_FIELD,
        "startAfterId");

    String missed = "/v1/queues/" + queueId + "/listeners/" + listenerId + "/redeliver_missed";
    int asked = admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class).size();
    for (Object since : List.of("yesterday", "2026-01-01", "1969-12-31T23:59:59Z", 5)) {
      assertError(admin.post(missed, key, new JsonObject().put("since", since)), DISCUE, ErrorCode.INVALID_FIELD,
          "since");
    }
    assertError(admin.post(missed, key, new JsonObject()), DISCUE, ErrorCode.INVALID_FIELD, "since");
    assertEquals(400, admin.post(missed, key, null).statusCode(), "a body is required");
    assertEquals(asked, admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class).size(),
        "nothing was asked of messaging");
  }

  @Test
  void unknownQueuesListenersAndCallersAreRefused() throws Exception {
    String queueId = admin.discueQueue(key, "attempts-unknown");
    String listenerId = createListener(queueId, "known");
    String otherQueue = admin.discueQueue(key, "attempts-other");
    String since = new JsonObject().put("since", "2026-01-01T00:00:00Z").encode();
    JsonObject sinceBody = new JsonObject(since);

    assertError(admin.get(attemptsPath(Ids.newId(), listenerId), key), DISCUE, ErrorCode.QUEUE_NOT_FOUND);
    assertError(admin.get(attemptsPath(queueId, Ids.newId()), key), DISCUE, ErrorCode.NOT_FOUND);
    assertError(admin.get(attemptsPath(otherQueue, listenerId), key), DISCUE, ErrorCode.NOT_FOUND);
    assertError(admin.get("/v1/queues/" + Ids.newId() + "/messages/" + Ids.newId() + "/attempts", key), DISCUE,
        ErrorCode.QUEUE_NOT_FOUND);
    assertError(admin.post("/v1/queues/" + queueId + "/listeners/" + Ids.newId() + "/redeliver_missed", key,
        sinceBody), DISCUE, ErrorCode.NOT_FOUND);

    TestAccounts.Account stranger = TestAccounts.create(admin, key, "attempts-stranger");
    assertError(admin.get(attemptsPath(queueId, listenerId), stranger.key()), DISCUE, ErrorCode.QUEUE_NOT_FOUND);

    String queuesOnly = TestAccounts.scopedKey(admin, key, "queues", "read", "*");
    assertError(admin.get(attemptsPath(queueId, listenerId), queuesOnly), DISCUE, ErrorCode.FORBIDDEN);
    assertError(admin.get("/v1/queues/" + queueId + "/messages/" + Ids.newId() + "/attempts", queuesOnly), DISCUE,
        ErrorCode.FORBIDDEN);
    String readOnly = TestAccounts.scopedKey(admin, key, "listeners", "read", "*");
    assertEquals(200, admin.get(attemptsPath(queueId, listenerId), readOnly).statusCode());
    int asked = admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class).size();
    assertError(admin.post("/v1/queues/" + queueId + "/listeners/" + listenerId + "/redeliver_missed", readOnly,
        sinceBody), DISCUE, ErrorCode.FORBIDDEN);
    assertError(admin.get(attemptsPath(queueId, listenerId), null), DISCUE, ErrorCode.UNAUTHENTICATED);
    assertError(admin.post("/v1/queues/" + queueId + "/listeners/" + listenerId + "/redeliver_missed", null,
        sinceBody), DISCUE, ErrorCode.UNAUTHENTICATED);
    assertEquals(asked, admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class).size());
  }
}
