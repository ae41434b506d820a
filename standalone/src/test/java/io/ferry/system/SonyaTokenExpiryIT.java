package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented way past a generate_jwt token's expiry: the socket is closed with 1008, the client asks
 * for a new token and reconnects with {@code ?sequence=<last received + 1>}, and gets what was sent in
 * between exactly once, then the live messages. Also: Sonya's history survives the acks of a pull consumer
 * on the same queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SonyaTokenExpiryIT {

  private static final String KEY = "fry_sonya-expiry-test-key-0123456789abcdef";
  // Long enough to sign Sonya-format tokens (32 characters or more).
  private static final String SERVICE_TOKEN = "sonya-expiry-service-token-0123456789";
  private static final Duration FRAME = Duration.ofSeconds(10);

  @TempDir
  static Path dir;
  private FerryProcess ferry;
  private final HttpJson service = new HttpJson(SERVICE_TOKEN);

  @BeforeAll
  void start() throws Exception {
    ferry = FerryProcess.start("sonya-expiry", "ferry.standalone.jar", dir.resolve("main"), Ports.free(),
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY, "FERRY_AUTH_SONYA_SERVICE_TOKEN", SERVICE_TOKEN,
            "FERRY_AUTH_SONYA_TOKEN_TTL_SECONDS", "2"))
        .awaitReady(StandaloneIT.START);
  }

  @AfterAll
  void stop() throws Exception {
    ferry.close();
  }

  @Test
  void expiryCloseThenNewTokenAndResumeLosesAndRepeatsNothing() throws Exception {
    assertEquals(201, service.post(ferry.baseUrl() + "/queue/create/expiry", null).status());
    List<Long> sent = new ArrayList<>();
    sent.add(send("alice", 1));
    sent.add(send("bob", 2));
    sent.add(send("alice", 3));

    String ws = ferry.baseUrl().replace("http://", "ws://") + "/queue/listen/ws/expiry/alice";
    String firstToken = token();
    List<Long> received = new ArrayList<>();
    try (LiveSubscriber socket = LiveSubscriber.connect(service.client(),
        ws + "?sequence=first&access_token=" + firstToken)) {
      received.add(socket.next(FRAME).getLong("sequence"));
      received.add(socket.next(FRAME).getLong("sequence"));
      sent.add(send("alice", 4));
      received.add(socket.next(FRAME).getLong("sequence"));
      assertEquals(1008, socket.awaitClose(Duration.ofSeconds(10)), "closed at the token's expiry");
    }
    // Sent while the client has no connection.
    sent.add(send("alice", 5));
    sent.add(send("bob", 6));
    sent.add(send("alice", 7));

    ExecutionException expired = assertThrows(ExecutionException.class, () -> LiveSubscriber.connect(
        service.client(), ws + "?access_token=" + firstToken));
    assertEquals(401, ((WebSocketHandshakeException) expired.getCause()).getResponse().statusCode(),
        "the expired token cannot reconnect");

    long resumeFrom = received.get(received.size() - 1) + 1;
    try (LiveSubscriber socket = LiveSubscriber.connect(service.client(),
        ws + "?sequence=" + resumeFrom + "&access_token=" + token())) {
      JsonObject missedFirst = socket.next(FRAME);
      assertEquals("alice", missedFirst.getString("id"));
      assertEquals(new JsonObject().put("n", 5), missedFirst.getJsonObject("payload"));
      received.add(missedFirst.getLong("sequence"));
      received.add(socket.next(FRAME).getLong("sequence"));
      sent.add(send("alice", 8));
      received.add(socket.next(FRAME).getLong("sequence"));
      assertTrue(socket.nothingWithin(Duration.ofMillis(500)), "no duplicate after the live message");
    }
    List<Long> aliceSent = List.of(sent.get(0), sent.get(2), sent.get(3), sent.get(4), sent.get(6), sent.get(7));
    assertEquals(aliceSent, received, "every message of alice exactly once, in order");
  }

  @Test
  void replayFindsMessagesAPullConsumerAlreadyAcked() throws Exception {
    HttpJson admin = new HttpJson(KEY);
    assertEquals(201, service.post(ferry.baseUrl() + "/queue/create/acked", null).status());
    String account = SkeletonFlow.accountId(admin, ferry.baseUrl());
    String cf = ferry.baseUrl() + "/client/v4/accounts/" + account + "/queues";
    String queueId = admin.get(cf).object().getJsonArray("result").stream().map(JsonObject.class::cast)
        .filter(q -> q.getString("queue_name").equals("acked")).findFirst().orElseThrow().getString("queue_id");
    HttpJson.Reply consumer = admin.post(cf + "/" + queueId + "/consumers", new JsonObject().put("type", "http_pull"));
    assertEquals(200, consumer.status(), consumer::toString);
    for (int n = 1; n <= 3; n++) {
      assertEquals(200, service.post(ferry.baseUrl() + "/queue/send/acked",
          new JsonObject().put("id", "k").put("payload", new JsonObject().put("n", n))).status());
    }
    HttpJson.Reply pulled = admin.post(cf + "/" + queueId + "/messages/pull", new JsonObject().put("batch_size", 10));
    assertEquals(3, pulled.object().getJsonObject("result").getJsonArray("messages").size(), pulled::toString);
    io.vertx.core.json.JsonArray acks = new io.vertx.core.json.JsonArray();
    pulled.object().getJsonObject("result").getJsonArray("messages").forEach(m ->
        acks.add(new JsonObject().put("lease_id", ((JsonObject) m).getString("lease_id"))));
    HttpJson.Reply acked = admin.post(cf + "/" + queueId + "/messages/ack", new JsonObject().put("acks", acks));
    assertEquals(3, acked.object().getJsonObject("result").getInteger("ackCount"), acked::toString);

    var poll = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            ferry.baseUrl() + "/queue/listen/longpoll/acked?sequence=first&timeout_ms=0"))
        .header("Authorization", "Bearer " + SERVICE_TOKEN).GET().build();
    var replay = service.client().send(poll, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, replay.statusCode(), replay.body());
    assertEquals(3, new io.vertx.core.json.JsonArray(replay.body()).size(), "acked messages are history: "
        + replay.body());
    assertEquals("1", replay.headers().firstValue("Ferry-Oldest-Sequence").orElse(null));
  }

  @Test
  void aSonyaFormatTokenSignedWithTheServiceTokenListensThroughTheGateway() throws Exception {
    assertEquals(201, service.post(ferry.baseUrl() + "/queue/create/own-format", null).status());
    assertEquals(200, service.post(ferry.baseUrl() + "/queue/send/own-format",
        new JsonObject().put("id", "carol").put("payload", new JsonObject().put("n", 1))).status());
    long exp = System.currentTimeMillis() / 1000 + 60;
    // As Sonya's own generate_jwt writes it: HS256 over {sub: id, iss: queue, exp}, keyed by the service token.
    String token = hs256(new JsonObject().put("sub", "carol").put("iss", "own-format").put("exp", exp),
        SERVICE_TOKEN);
    String poll = ferry.baseUrl() + "/queue/listen/longpoll/own-format/carol?sequence=first&timeout_ms=0";
    var answer = service.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(poll))
        .header("Authorization", "Bearer " + token).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals(1, new io.vertx.core.json.JsonArray(answer.body()).size(), answer.body());

    // Another queue than the one it names, or signed with another key: refused.
    var otherQueue = service.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            ferry.baseUrl() + "/queue/listen/longpoll/expiry/carol?timeout_ms=0"))
        .header("Authorization", "Bearer " + token).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(403, otherQueue.statusCode(), otherQueue.body());
    String forged = hs256(new JsonObject().put("sub", "carol").put("iss", "own-format").put("exp", exp),
        SERVICE_TOKEN + "x");
    var refused = service.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(poll))
        .header("Authorization", "Bearer " + forged).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(401, refused.statusCode(), refused.body());
  }

  private static String hs256(JsonObject claims, String key) throws Exception {
    java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String signed = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(
        java.nio.charset.StandardCharsets.UTF_8)) + "." + base64.encodeToString(claims.encode().getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    return signed + "." + base64.encodeToString(mac.doFinal(signed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private long send(String id, int n) throws Exception {
    HttpJson.Reply sent = service.post(ferry.baseUrl() + "/queue/send/expiry",
        new JsonObject().put("id", id).put("payload", new JsonObject().put("n", n)));
    assertEquals(200, sent.status(), sent::toString);
    return sent.object().getLong("sequence");
  }

  private String token() throws Exception {
    HttpJson.Reply issued = service.post(ferry.baseUrl() + "/queue/generate_jwt/expiry/alice", null);
    assertEquals(200, issued.status(), issued::toString);
    return issued.object().getString("token");
  }
}
