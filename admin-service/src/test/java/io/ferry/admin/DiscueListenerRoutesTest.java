package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The discue listener routes over real HTTP, with a stand-in messaging-service and bus calls from a dispatcher. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscueListenerRoutesTest {

  // A public address: accepted by the SSRF rule without DNS (the tests run offline).
  static final String NOTIFY_URL = "https://93.184.215.14/notify";
  static final String LIVENESS_URL = "http://93.184.215.14:8080/live";

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String key = admin.rootKey();

  static JsonObject listenerBody(String name) {
    return new JsonObject().put("name", name).put("notify_url", NOTIFY_URL).put("liveness_url", LIVENESS_URL);
  }

  // Creates a listener; answers the creation's "listener" object (id, name, secret).
  private JsonObject createListener(String queueId, String name) throws Exception {
    HttpResponse<Buffer> response = admin.post("/v1/queues/" + queueId + "/listeners", key, listenerBody(name));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("listener");
  }

  // The "enabled" of each listener.updated announced for the listener, in order.
  private List<Boolean> enabledFlagsAnnounced(String listenerId) {
    return admin.events("listener.updated").stream().filter(e -> e.resourceId().equals(listenerId))
        .map(e -> e.payload().getBoolean("enabled")).toList();
  }

  private HttpResponse<Buffer> put(String path, Object body) throws Exception {
    return admin.call(HttpMethod.PUT, path, key, body);
  }

  private HttpResponse<Buffer> delete(String path) throws Exception {
    return admin.call(HttpMethod.DELETE, path, key, null);
  }

  private <R> R request(String address, Object payload) throws Exception {
    return MessagingStandIn.await(Bus.<R>request(admin.node.vertx(), address, payload));
  }

  private ErrorCode requestFailure(String address, Object payload) {
    Exception e = assertThrows(Exception.class, () -> request(address, payload));
    return FerryException.from(e).code();
  }

  @Test
  void createsListenerWithSecretAndSubscription() throws Exception {
    String queueId = admin.discueQueue(key, "hooked");
    HttpResponse<Buffer> response = admin.post("/v1/queues/" + queueId + "/listeners", key,
        listenerBody("myapp.io/deletion-listener"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject listener = response.bodyAsJsonObject().getJsonObject("listener");
    String listenerId = listener.getString("id");
    assertTrue(Ids.isValid(listenerId));
    assertEquals("myapp.io/deletion-listener", listener.getString("name"));
    String secret = listener.getString("secret");
    assertTrue(secret.startsWith("whsec_"));
    assertEquals(24, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);
    assertEquals("/v1/queues/" + queueId + "/listeners/" + listenerId, response.bodyAsJsonObject()
        .getJsonObject("_links").getJsonObject("self").getString("href"));

    // Messaging never exhausts a listener's message by itself: the dispatcher decides when it is missed.
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_UPSERT, SubscriptionSpec.class)
        .contains(new SubscriptionSpec(listenerId, queueId, SubscriptionSpec.Kind.LISTENER, 10,
            SubscriptionSpec.UNLIMITED_RETRIES, 5, 60_000, null)));
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("listener.created").stream()
        .anyMatch(e -> e.resourceId().equals(listenerId) && e.payload().getString("queue_id").equals(queueId)));

    // Before messaging-service knows any counters (NOT_FOUND here) and before the first liveness check.
    JsonObject expected = new JsonObject().put("id", listenerId).put("name", "myapp.io/deletion-listener")
        .put("queue_id", queueId).put("notify_url", NOTIFY_URL).put("liveness_url", LIVENESS_URL)
        .put("status", "enabled")
        .put("liveness", new JsonObject().put("state", "stable").put("success_count", 0).put("failure_count", 0)
            .putNull("checked_at"))
        .put("messages", new JsonObject().put("acknowledged_count", 0).put("missed_count", 0)
            .put("missed", new JsonArray()));
    HttpResponse<Buffer> ofQueue = admin.get("/v1/queues/" + queueId + "/listeners", key);
    assertEquals(new JsonArray().add(expected), ofQueue.bodyAsJsonObject().getJsonArray("listeners"));
    HttpResponse<Buffer> all = admin.get("/v1/listeners", key);
    assertEquals(expected, all.bodyAsJsonObject().getJsonArray("listeners").stream()
        .map(JsonObject.class::cast).filter(l -> l.getString("id").equals(listenerId)).findFirst().orElseThrow());
    HttpResponse<Buffer> one = admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, key);
    assertEquals(200, one.statusCode(), one.bodyAsString());
    assertEquals(expected, one.bodyAsJsonObject().getJsonObject("listener"));
    assertEquals("/v1/queues/" + queueId + "/listeners/" + listenerId,
        one.bodyAsJsonObject().getJsonObject("_links").getJsonObject("self").getString("href"));
    for (HttpResponse<Buffer> listed : List.of(ofQueue, all, one)) {
      assertFalse(listed.bodyAsString().contains(secret));
      assertFalse(listed.bodyAsString().contains("\"secret\""));
    }
  }

  @Test
  void rejectsBadListeners() throws Exception {
    String queueId = admin.discueQueue(key, "hook-errors");
    String path = "/v1/queues/" + queueId + "/listeners";
    assertError(admin.post(path, key, listenerBody("l").put("notify_url", "ftp://example.com/x")),
        DISCUE, ErrorCode.UNPROCESSABLE, "notify_url: must use http or https");
    assertError(admin.post(path, key, listenerBody("l").put("notify_url", "/relative/path")),
        DISCUE, ErrorCode.UNPROCESSABLE, "notify_url: must be an absolute URL");
    assertError(admin.post(path, key, listenerBody("l").put("liveness_url", "http://exa mple.com")),
        DISCUE, ErrorCode.UNPROCESSABLE, "liveness_url: is not a valid URL");
    assertError(admin.post(path, key, listenerBody("l").put("liveness_url", "https:///nohost")),
        DISCUE, ErrorCode.UNPROCESSABLE, "liveness_url");
    assertError(admin.post(path, key, listenerBody("l").putNull("liveness_url")), DISCUE, ErrorCode.INVALID_FIELD,
        "liveness_url");
    assertError(admin.post(path, key, listenerBody("l").put("notify_url", 42)), DISCUE, ErrorCode.INVALID_FIELD,
        "notify_url");
    assertError(admin.post(path, key, listenerBody(" ")), DISCUE, ErrorCode.INVALID_FIELD, "name");
    assertError(admin.post(path, key, listenerBody("n".repeat(257))), DISCUE, ErrorCode.INVALID_FIELD, "name");
    assertError(admin.post(path, key, "{nope"), DISCUE, ErrorCode.MALFORMED_JSON, "JSON");
    assertError(admin.post("/v1/queues/" + Ids.newId() + "/listeners", key, listenerBody("l")),
        DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.post("/v1/queues/nope/listeners", key, listenerBody("l")), DISCUE, ErrorCode.QUEUE_NOT_FOUND,
        "queue nope not found");
    assertError(admin.get("/v1/queues/nope/listeners", key), DISCUE, ErrorCode.QUEUE_NOT_FOUND, "queue nope not found");
    assertError(admin.get("/v1/queues/" + Ids.newId() + "/listeners", key), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.post(path, null, listenerBody("l")), DISCUE, ErrorCode.UNAUTHENTICATED, "API key");
    assertEquals(0, admin.get(path, key).bodyAsJsonObject().getJsonArray("listeners").size());

    createListener(queueId, "taken");
    assertError(admin.post(path, key, listenerBody("taken")), DISCUE, ErrorCode.NAME_TAKEN, "taken");
    assertEquals(1, admin.get(path, key).bodyAsJsonObject().getJsonArray("listeners").size());
    // Names are per queue.
    createListener(admin.discueQueue(key, "hook-errors-2"), "taken");
  }

  @Test
  void showsReportedLivenessAndDeliveryCounters() throws Exception {
    String queueId = admin.discueQueue(key, "observed");
    String listenerId = createListener(queueId, "observed").getString("id");
    List<String> missed = List.of(Ids.newId(), Ids.newId());
    admin.messaging.stats.put(listenerId, new SubscriptionStats(42, 7, missed));
    String markerId = createListener(queueId, "marker").getString("id");
    long checkedAt = 1_700_000_000_000L;
    reportLiveness(new ListenerLiveness(listenerId, ListenerLiveness.State.UNSTABLE, 0, 2, checkedAt));
    awaitLivenessState(queueId, listenerId, "unstable");
    // A report of an earlier check arriving late does not replace it.
    reportLiveness(new ListenerLiveness(listenerId, ListenerLiveness.State.STABLE, 9, 0, checkedAt - 1));
    // Reports of unknown listeners are dropped quietly.
    reportLiveness(new ListenerLiveness(Ids.newId(), ListenerLiveness.State.INACTIVE, 0, 3, checkedAt));
    // Reports are kept in the order they arrive: once the marker's shows, the two above were handled.
    reportLiveness(new ListenerLiveness(markerId, ListenerLiveness.State.UNSTABLE, 0, 1, checkedAt));
    awaitLivenessState(queueId, markerId, "unstable");

    JsonObject listener = admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, key)
        .bodyAsJsonObject().getJsonObject("listener");
    assertEquals(new JsonObject().put("state", "unstable").put("success_count", 0).put("failure_count", 2)
        .put("checked_at", Instant.ofEpochMilli(checkedAt).toString()), listener.getJsonObject("liveness"));
    assertEquals(new JsonObject().put("acknowledged_count", 42).put("missed_count", 7)
        .put("missed", new JsonArray(missed)), listener.getJsonObject("messages"));
    JsonArray listed = admin.get("/v1/queues/" + queueId + "/listeners", key).bodyAsJsonObject()
        .getJsonArray("listeners");
    assertEquals(listener, listed.stream().map(JsonObject.class::cast)
        .filter(each -> each.getString("id").equals(listenerId)).findFirst().orElseThrow());

    reportLiveness(new ListenerLiveness(listenerId, ListenerLiveness.State.INACTIVE, 0, 3, checkedAt + 30_000));
    awaitLivenessState(queueId, listenerId, "inactive");
  }

  private void reportLiveness(ListenerLiveness report) {
    Bus.publish(admin.node.vertx(), Endpoints.LISTENER_LIVENESS, report);
  }

  private void awaitLivenessState(String queueId, String listenerId, String state) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(state,
        admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, key).bodyAsJsonObject()
            .getJsonObject("listener").getJsonObject("liveness").getString("state")));
  }

  @Test
  void showsTheLastFailedLivenessCheckAndWhy() throws Exception {
    String queueId = admin.discueQueue(key, "refused-at-connect");
    String listenerId = createListener(queueId, "refused").getString("id");
    long checkedAt = 1_700_000_000_000L;
    String why = "refused by the SSRF policy: myapp.io resolved to 10.0.0.7, and 10.0.0.7 is a private address";
    reportLiveness(new ListenerLiveness(listenerId, ListenerLiveness.State.INACTIVE, 0, 3, checkedAt, checkedAt, 0,
        why));
    awaitLivenessState(queueId, listenerId, "inactive");
    JsonObject liveness = admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, key).bodyAsJsonObject()
        .getJsonObject("listener").getJsonObject("liveness");
    String at = Instant.ofEpochMilli(checkedAt).toString();
    assertEquals(new JsonObject().put("state", "inactive").put("success_count", 0).put("failure_count", 3)
        .put("checked_at", at).put("last_failure_at", at).put("last_failure_status", 0)
        .put("last_failure_msg", why), liveness);
  }

  @Test
  void unreachableMessagingFailsReadsInsteadOfShowingZeros() throws Exception {
    String queueId = admin.discueQueue(key, "blind");
    String listenerId = createListener(queueId, "blind").getString("id");
    admin.messaging.unregister();
    try {
      assertError(admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, key),
          DISCUE, ErrorCode.UNAVAILABLE, "not reachable");
      assertError(admin.get("/v1/queues/" + queueId + "/listeners", key), DISCUE, ErrorCode.UNAVAILABLE,
          "not reachable");
      assertError(admin.get("/v1/listeners", key), DISCUE, ErrorCode.UNAVAILABLE, "not reachable");
      assertError(admin.post("/v1/queues/" + queueId + "/listeners/" + listenerId + "/redeliver", key, null),
          DISCUE, ErrorCode.UNAVAILABLE, "not reachable");
      assertError(delete("/v1/queues/" + queueId + "/listeners/" + listenerId), DISCUE, ErrorCode.UNAVAILABLE,
          "not reachable");
    } finally {
      admin.messaging.register();
    }
    // The failed delete kept the listener.
    assertEquals(200, admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, key).statusCode());
  }

  @Test
  void updatesNameUrlsAndStatus() throws Exception {
    String queueId = admin.discueQueue(key, "updated");
    JsonObject created = createListener(queueId, "before");
    String listenerId = created.getString("id");
    createListener(queueId, "other");
    String path = "/v1/queues/" + queueId + "/listeners/" + listenerId;

    HttpResponse<Buffer> renamed = put(path, new JsonObject().put("name", "after")
        .put("notify_url", "https://93.184.215.15/v2").put("status", "disabled"));
    assertEquals(200, renamed.statusCode(), renamed.bodyAsString());
    JsonObject listener = renamed.bodyAsJsonObject().getJsonObject("listener");
    assertEquals("after", listener.getString("name"));
    assertEquals("https://93.184.215.15/v2", listener.getString("notify_url"));
    assertEquals(LIVENESS_URL, listener.getString("liveness_url"));
    assertEquals("disabled", listener.getString("status"));
    assertEquals(path, renamed.bodyAsJsonObject().getJsonObject("_links").getJsonObject("self").getString("href"));
    assertEquals(listener, admin.get(path, key).bodyAsJsonObject().getJsonObject("listener"));
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("listener.updated").stream().anyMatch(e ->
        e.resourceId().equals(listenerId) && e.payload().getString("queue_id").equals(queueId)
            && !e.payload().getBoolean("enabled")));
    ListenerInfo info = request(Addresses.LISTENER_GET, new ResourceRef(null, listenerId));
    assertEquals("https://93.184.215.15/v2", info.notifyUrl());
    assertFalse(info.enabled());
    assertEquals(created.getString("secret"), info.secret());

    assertEquals("enabled", put(path, new JsonObject().put("status", "enabled")).bodyAsJsonObject()
        .getJsonObject("listener").getString("status"));
    assertTrue(((ListenerInfo) request(Addresses.LISTENER_GET, new ResourceRef(null, listenerId))).enabled());

    // Nothing to change: the same listener, and no event.
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("listener.updated").stream()
        .filter(e -> e.resourceId().equals(listenerId)).count() == 2);
    HttpResponse<Buffer> same = put(path, new JsonObject());
    assertEquals(200, same.statusCode(), same.bodyAsString());
    assertEquals("after", same.bodyAsJsonObject().getJsonObject("listener").getString("name"));
    // A later change (disabling it) is announced after anything the no-op announced: once it is seen, nothing
    // else came.
    assertEquals(200, put(path, new JsonObject().put("status", "disabled")).statusCode());
    await().atMost(Duration.ofSeconds(5)).until(() -> enabledFlagsAnnounced(listenerId).size() >= 3);
    assertEquals(List.of(false, true, false), enabledFlagsAnnounced(listenerId));
  }

  @Test
  void rejectsBadUpdatesAndChangesNothing() throws Exception {
    String queueId = admin.discueQueue(key, "update-errors");
    String listenerId = createListener(queueId, "kept").getString("id");
    createListener(queueId, "taken");
    String path = "/v1/queues/" + queueId + "/listeners/" + listenerId;
    JsonObject before = admin.get(path, key).bodyAsJsonObject().getJsonObject("listener");

    assertError(put(path, new JsonObject().put("name", "taken")), DISCUE, ErrorCode.NAME_TAKEN, "taken");
    assertError(put(path, new JsonObject().put("name", "")), DISCUE, ErrorCode.INVALID_FIELD, "name");
    assertError(put(path, new JsonObject().put("name", 7)), DISCUE, ErrorCode.INVALID_FIELD, "name");
    assertError(put(path, new JsonObject().put("status", "paused")), DISCUE, ErrorCode.INVALID_FIELD, "status");
    assertError(put(path, new JsonObject().put("status", false)), DISCUE, ErrorCode.INVALID_FIELD, "status");
    assertError(put(path, new JsonObject().put("notify_url", "ftp://x/")), DISCUE, ErrorCode.UNPROCESSABLE,
        "notify_url");
    assertError(put(path, new JsonObject().put("liveness_url", true)), DISCUE, ErrorCode.INVALID_FIELD, "liveness_url");
    assertError(put(path, new JsonObject().put("name", "new").put("liveness_url", "http://127.0.0.1/")),
        DISCUE, ErrorCode.UNPROCESSABLE, "liveness_url");
    assertError(put(path, "[]"), DISCUE, ErrorCode.INVALID_FIELD, "JSON object");
    assertError(put(path, null), DISCUE, ErrorCode.INVALID_FIELD, "body");
    assertEquals(before, admin.get(path, key).bodyAsJsonObject().getJsonObject("listener"));
  }

  @Test
  void listenerMustBelongToTheQueueInThePath() throws Exception {
    String queueId = admin.discueQueue(key, "owner");
    String otherQueueId = admin.discueQueue(key, "not-owner");
    String listenerId = createListener(queueId, "mine").getString("id");
    String wrongPath = "/v1/queues/" + otherQueueId + "/listeners/" + listenerId;
    assertError(admin.get(wrongPath, key), DISCUE, ErrorCode.NOT_FOUND, listenerId);
    assertError(put(wrongPath, new JsonObject().put("name", "stolen")), DISCUE, ErrorCode.NOT_FOUND, listenerId);
    assertError(delete(wrongPath), DISCUE, ErrorCode.NOT_FOUND, listenerId);
    assertError(admin.post(wrongPath + "/secret/rotate", key, null), DISCUE, ErrorCode.NOT_FOUND, listenerId);
    assertError(admin.post(wrongPath + "/redeliver", key, null), DISCUE, ErrorCode.NOT_FOUND, listenerId);

    String unknown = "/v1/queues/" + queueId + "/listeners/" + Ids.newId();
    assertError(admin.get(unknown, key), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.post(unknown + "/secret/rotate", key, null), DISCUE, ErrorCode.NOT_FOUND, "not found");
    String missingQueue = "/v1/queues/" + Ids.newId() + "/listeners/" + listenerId;
    assertError(admin.get(missingQueue, key), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.get("/v1/queues/" + queueId + "/listeners/nope", key), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.get("/v1/queues/nope/listeners/" + listenerId, key), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, null),
        DISCUE, ErrorCode.UNAUTHENTICATED,
        "API key");
    assertEquals("mine", admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, key).bodyAsJsonObject()
        .getJsonObject("listener").getString("name"));
  }

  @Test
  void deletesListenerAndItsSubscription() throws Exception {
    String queueId = admin.discueQueue(key, "unhooked");
    String listenerId = createListener(queueId, "gone").getString("id");
    String path = "/v1/queues/" + queueId + "/listeners/" + listenerId;
    HttpResponse<Buffer> deleted = delete(path);
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(new JsonObject().put("id", listenerId).put("name", "gone"),
        deleted.bodyAsJsonObject().getJsonObject("listener"));
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_SUBSCRIPTION_DELETE, ResourceRef.class)
        .contains(new ResourceRef(admin.defaultAccountId(), listenerId)));
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("listener.deleted").stream().anyMatch(e ->
        e.resourceId().equals(listenerId) && e.payload().getString("queue_id").equals(queueId)));
    assertError(admin.get(path, key), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertError(delete(path), DISCUE, ErrorCode.NOT_FOUND, "not found");
    assertEquals(ErrorCode.NOT_FOUND, requestFailure(Addresses.LISTENER_GET, new ResourceRef(null, listenerId)));
    // Its name is free again.
    createListener(queueId, "gone");
  }

  @Test
  void failedSubscriptionDeleteKeepsTheListener() throws Exception {
    String queueId = admin.discueQueue(key, "sticky");
    String listenerId = createListener(queueId, "sticky").getString("id");
    String path = "/v1/queues/" + queueId + "/listeners/" + listenerId;
    admin.messaging.failOn(Addresses.MESSAGING_SUBSCRIPTION_DELETE);
    try {
      assertEquals(500, delete(path).statusCode());
    } finally {
      admin.messaging.failOn(null);
    }
    assertEquals(200, admin.get(path, key).statusCode());
  }

  @Test
  void rotatesTheSecret() throws Exception {
    String queueId = admin.discueQueue(key, "rotated");
    JsonObject created = createListener(queueId, "rotated");
    String listenerId = created.getString("id");
    HttpResponse<Buffer> rotated = admin.post("/v1/queues/" + queueId + "/listeners/" + listenerId
        + "/secret/rotate", key, null);
    assertEquals(200, rotated.statusCode(), rotated.bodyAsString());
    JsonObject listener = rotated.bodyAsJsonObject().getJsonObject("listener");
    assertEquals(listenerId, listener.getString("id"));
    assertEquals("rotated", listener.getString("name"));
    String secret = listener.getString("secret");
    assertTrue(secret.startsWith("whsec_"));
    assertNotEquals(created.getString("secret"), secret);
    // The dispatcher signs with the new secret from now on.
    ListenerInfo info = request(Addresses.LISTENER_GET, new ResourceRef(null, listenerId));
    assertEquals(secret, info.secret());
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("listener.updated").stream().anyMatch(e ->
        e.resourceId().equals(listenerId) && e.payload().getBoolean("enabled")));
    assertFalse(admin.get("/v1/queues/" + queueId + "/listeners/" + listenerId, key).bodyAsString()
        .contains(secret));
  }

  @Test
  void redeliversMissedMessages() throws Exception {
    String queueId = admin.discueQueue(key, "redelivered");
    String listenerId = createListener(queueId, "redelivered").getString("id");
    String path = "/v1/queues/" + queueId + "/listeners/" + listenerId + "/redeliver";
    List<String> ids = List.of(Ids.newId(), Ids.newId());

    HttpResponse<Buffer> some = admin.post(path, key, new JsonObject().put("ids", new JsonArray(ids)));
    assertEquals(200, some.statusCode(), some.bodyAsString());
    assertEquals(new JsonObject().put("redelivered", 2), some.bodyAsJsonObject());
    assertTrue(admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class)
        .contains(new RedeliverRequest(queueId, listenerId, ids)));

    admin.messaging.missedCount = 5;
    HttpResponse<Buffer> all = admin.post(path, key, null);
    assertEquals(200, all.statusCode(), all.bodyAsString());
    assertEquals(new JsonObject().put("redelivered", 5), all.bodyAsJsonObject());
    assertEquals(5, admin.post(path, key, new JsonObject()).bodyAsJsonObject().getInteger("redelivered"));
    assertEquals(2, admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class).stream()
        .filter(r -> r.subscriptionId().equals(listenerId) && r.messageIds().isEmpty()).count());

    int sent = admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class).size();
    assertError(admin.post(path, key, new JsonObject().put("ids", new JsonArray())),
        DISCUE, ErrorCode.INVALID_FIELD, "ids");
    assertError(admin.post(path, key, new JsonObject().put("ids", "all")), DISCUE, ErrorCode.INVALID_FIELD, "ids");
    assertError(admin.post(path, key, new JsonObject().put("ids", new JsonArray().add(ids.get(0)).add("nope"))),
        DISCUE, ErrorCode.INVALID_FIELD, "ids[1]");
    assertError(admin.post(path, key, new JsonObject().put("ids", new JsonArray().add(3))),
        DISCUE, ErrorCode.INVALID_FIELD,
        "ids[0]");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 1_001; i++) {
      tooMany.add(Ids.newId());
    }
    assertError(admin.post(path, key, new JsonObject().put("ids", tooMany)), DISCUE, ErrorCode.INVALID_FIELD, "ids");
    assertError(admin.post(path, key, "nope"), DISCUE, ErrorCode.MALFORMED_JSON, "JSON");
    assertEquals(sent, admin.messaging.payloads(Addresses.MESSAGING_REDELIVER, RedeliverRequest.class).size());
  }

  @Test
  void documentsTheListenerRoutes() throws Exception {
    String openApi = admin.get("/openapi.yaml", null).bodyAsString();
    for (String path : List.of("/v1/queues/{queue_id}/listeners/{listener_id}",
        "/v1/queues/{queue_id}/listeners/{listener_id}/secret/rotate",
        "/v1/queues/{queue_id}/listeners/{listener_id}/redeliver")) {
      assertTrue(openApi.contains(path), path);
    }
  }

  @Test
  void dispatcherDisablesAListenerThatAnswered410() throws Exception {
    String queueId = admin.discueQueue(key, "gone-away");
    String listenerId = createListener(queueId, "gone-away").getString("id");
    String path = "/v1/queues/" + queueId + "/listeners/" + listenerId;

    assertEquals(io.ferry.contracts.model.Ack.INSTANCE,
        request(Addresses.LISTENER_DISABLE, new ResourceRef(null, listenerId)));
    assertEquals("disabled", admin.get(path, key).bodyAsJsonObject().getJsonObject("listener").getString("status"));
    assertFalse(((ListenerInfo) request(Addresses.LISTENER_GET, new ResourceRef(null, listenerId))).enabled());
    ListenerList all = request(Addresses.LISTENERS_ALL, null);
    assertFalse(all.listeners().stream().filter(l -> l.id().equals(listenerId)).findFirst().orElseThrow().enabled());
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("listener.disabled").stream().anyMatch(e ->
        e.resourceId().equals(listenerId) && e.payload().getString("queue_id").equals(queueId)
            && e.payload().getString("reason").contains("410")));

    // Disabling again changes nothing and announces nothing.
    request(Addresses.LISTENER_DISABLE, new ResourceRef(admin.defaultAccountId(), listenerId));
    assertEquals(ErrorCode.NOT_FOUND, requestFailure(Addresses.LISTENER_DISABLE, new ResourceRef(null, Ids.newId())));
    assertEquals(ErrorCode.NOT_FOUND,
        requestFailure(Addresses.LISTENER_DISABLE, new ResourceRef(Ids.newId(), listenerId)));

    // The user re-enables it; that announcement comes after anything the second disable announced.
    assertEquals("enabled", put(path, new JsonObject().put("status", "enabled")).bodyAsJsonObject()
        .getJsonObject("listener").getString("status"));
    assertTrue(((ListenerInfo) request(Addresses.LISTENER_GET, new ResourceRef(null, listenerId))).enabled());
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.events("listener.updated").stream()
        .anyMatch(e -> e.resourceId().equals(listenerId) && e.payload().getBoolean("enabled")));
    assertEquals(1, admin.events("listener.disabled").stream().filter(e -> e.resourceId().equals(listenerId)).count());
  }
}
