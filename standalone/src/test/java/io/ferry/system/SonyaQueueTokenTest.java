package io.ferry.system;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.AdminModule;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.contracts.testkit.Futures;
import io.ferry.gateway.GatewayModule;
import io.ferry.messaging.MessagingModule;
import io.ferry.standalone.StandaloneConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ferry's queue-wide listen token ({@code POST /queue/generate_jwt/{queue}}) against a real in-process Ferry
 * (admin, messaging and gateway on one port): it follows every id of its queue over the WebSocket and the
 * long-poll routes, and allows nothing else; minting it needs whole-queue read as well as generate_jwt's grant.
 */
class SonyaQueueTokenTest {

  private static final String KEY = "sonya-queue-token-test-bootstrap-key-0123";
  private static final String TOKEN_SECRET = "sonya-queue-token-test-secret-0123456789abcdef";
  private static final int TTL_SECONDS = 120;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Path dataDir;
  private static FerryNode node;
  private static String base;
  private static String ws;
  private static final HttpJson root = new HttpJson(KEY);

  @BeforeAll
  static void start() throws Exception {
    dataDir = Files.createTempDirectory("ferry-queue-token-");
    StandaloneConfig config = StandaloneConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("storage.data-dir"), dataDir.toString(),
        ConfigReader.envName("auth.bootstrap-key"), KEY,
        ConfigReader.envName("auth.token-secret"), TOKEN_SECRET,
        ConfigReader.envName("auth.sonya-token-ttl-seconds"), Integer.toString(TTL_SECONDS))));
    node = Futures.await(FerryNode.startLocal("Ferry queue token test", config.node(), List.of(
        AdminModule.create(config.admin()), MessagingModule.create(config.messaging()),
        GatewayModule.create(config.gateway()))), Duration.ofSeconds(60));
    base = "http://127.0.0.1:" + node.httpPort();
    ws = "ws://127.0.0.1:" + node.httpPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      Futures.await(node.stop(), Duration.ofSeconds(30));
    }
    if (dataDir != null) {
      try (var paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void aQueueTokenFollowsEveryIdOfItsQueueOverTheWebSocket() throws Exception {
    String queue = createQueue("follow");
    long sent = send(queue, "order-1", "packed");
    send(queue, "order-2", "paid");

    long now = System.currentTimeMillis() / 1000;
    HttpJson.Reply minted = root.post(base + "/queue/generate_jwt/" + queue, null);
    assertEquals(200, minted.status(), minted::toString);
    String token = minted.object().getString("token");
    long expiration = minted.object().getLong("expiration");
    assertTrue(expiration >= now + TTL_SECONDS && expiration <= now + TTL_SECONDS + 5, minted::toString);
    JsonObject claims = claims(token);
    assertFalse(claims.containsKey("sub"), claims::encode);
    assertEquals(true, claims.getValue("queue_wide"));
    assertEquals(queue, claims.getString("iss"));

    try (LiveSubscriber subscriber = LiveSubscriber.connect(root.client(),
        ws + "/queue/listen/ws/" + queue + "?sequence=" + sent + "&access_token=" + token)) {
      assertEquals("order-1", subscriber.next(WAIT).getString("id"));
      assertEquals("order-2", subscriber.next(WAIT).getString("id"));
      long live = send(queue, "order-3", "shipped");
      JsonObject pushed = subscriber.next(WAIT);
      assertEquals(live, pushed.getLong("sequence"));
      assertEquals("order-3", pushed.getString("id"));
      assertEquals("shipped", pushed.getString("payload"));
    }

    // The long-poll routes, and the per-id routes of the same queue, take it too.
    Listened whole = listen("/queue/listen/longpoll/" + queue + "?sequence=first&timeout_ms=0", token);
    assertEquals(200, whole.status(), whole.body());
    assertEquals(3, new JsonArray(whole.body()).size());
    Listened one = listen("/queue/listen/longpoll/" + queue + "/order-2?sequence=first&timeout_ms=0", token);
    assertEquals(200, one.status(), one.body());
    assertEquals("paid", new JsonArray(one.body()).getJsonObject(0).getString("payload"));
    try (LiveSubscriber subscriber = LiveSubscriber.connect(root.client(),
        ws + "/queue/listen/ws/" + queue + "/order-1?sequence=first&access_token=" + token)) {
      assertEquals("packed", subscriber.next(WAIT).getString("payload"));
    }
  }

  @Test
  void aQueueTokenAllowsNothingBeyondListeningToItsQueue() throws Exception {
    String queue = createQueue("only");
    String other = createQueue("other");
    send(other, "secret-1", "not yours");
    String token = mint(queue);

    Listened elsewhere = listen("/queue/listen/longpoll/" + other + "?sequence=first&timeout_ms=0", token);
    assertError(elsewhere.status(), elsewhere.contentType(), elsewhere.body(), Dialect.SONYA, ErrorCode.FORBIDDEN,
        "every message of queue '" + other + "'");
    assertEquals(403, refusedUpgrade("/queue/listen/ws/" + other + "?access_token=" + token));
    assertEquals(403, refusedUpgrade("/queue/listen/ws/" + other + "/secret-1?access_token=" + token));

    HttpJson asToken = new HttpJson(token);
    assertEquals(ErrorCode.FORBIDDEN, errorOf(asToken, "POST", "/queue/send/" + queue,
        new JsonObject().put("id", "x").put("payload", "forged")));
    assertEquals(ErrorCode.FORBIDDEN, errorOf(asToken, "POST", "/queue/create/made-by-a-token", null));
    assertEquals(ErrorCode.FORBIDDEN, errorOf(asToken, "POST", "/queue/generate_jwt/" + queue, null));
    assertEquals(ErrorCode.FORBIDDEN, errorOf(asToken, "POST", "/queue/generate_jwt/" + queue + "/x", null));
    assertEquals(403, asToken.get(base + "/v1/queues").status());
    assertEquals(403, asToken.get(base + "/v1/api_keys").status());
  }

  @Test
  void aCallerWithoutWholeQueueReadGetsNoQueueToken() throws Exception {
    String queue = createQueue("narrow");
    HttpJson writer = new HttpJson(newKey("sonya:write:" + queue, "sonya:read:some-other-queue"));

    HttpJson.Reply refused = writer.post(base + "/queue/generate_jwt/" + queue, null);
    assertEquals(403, refused.status(), refused::toString);
    assertFalse(refused.object().containsKey("token"), refused::toString);
    assertEquals(ErrorCode.FORBIDDEN, errorOf(writer, "POST", "/queue/generate_jwt/" + queue, null));
    // What it holds still mints what it always could: a token for one id.
    assertEquals(200, writer.post(base + "/queue/generate_jwt/" + queue + "/order-1", null).status());

    HttpJson reader = new HttpJson(newKey("sonya:read:" + queue));
    assertEquals(ErrorCode.FORBIDDEN, errorOf(reader, "POST", "/queue/generate_jwt/" + queue, null));

    HttpJson both = new HttpJson(newKey("sonya:write:" + queue, "sonya:read:" + queue));
    assertEquals(200, both.post(base + "/queue/generate_jwt/" + queue, null).status());
  }

  @Test
  void anExpiredQueueTokenIsRefused() throws Exception {
    String queue = createQueue("expired");
    JsonObject claims = claims(mint(queue));
    long past = System.currentTimeMillis() / 1000 - 120;
    String expired = sign(claims.put("iat", past - TTL_SECONDS).put("exp", past));

    Listened poll = listen("/queue/listen/longpoll/" + queue + "?timeout_ms=0", expired);
    assertError(poll.status(), poll.contentType(), poll.body(), Dialect.SONYA, ErrorCode.UNAUTHENTICATED,
        "the token has expired");
    assertEquals(401, refusedUpgrade("/queue/listen/ws/" + queue + "?access_token=" + expired));
    // Signed right but claiming an id as well, it is neither kind of token.
    String both = sign(claims(mint(queue)).put("sub", "order-1"));
    Listened ambiguous = listen("/queue/listen/longpoll/" + queue + "?timeout_ms=0", both);
    assertError(ambiguous.status(), ambiguous.contentType(), ambiguous.body(), Dialect.SONYA,
        ErrorCode.UNAUTHENTICATED, "queue-wide");
  }

  @Test
  void anUnknownQueueIsNotFound() throws Exception {
    Listened missing = call("POST", "/queue/generate_jwt/no-such-queue-" + System.nanoTime(), KEY);
    assertError(missing.status(), missing.contentType(), missing.body(), Dialect.SONYA,
        ErrorCode.QUEUE_NOT_FOUND, "");
  }

  @Test
  void thePerIdTokenIsUnchanged() throws Exception {
    String queue = createQueue("per-id");
    send(queue, "order-1", "mine");
    send(queue, "order-2", "not mine");
    HttpJson.Reply minted = root.post(base + "/queue/generate_jwt/" + queue + "/order-1", null);
    assertEquals(200, minted.status(), minted::toString);
    String token = minted.object().getString("token");
    JsonObject claims = claims(token);
    assertEquals("order-1", claims.getString("sub"));
    assertFalse(claims.containsKey("queue_wide"), claims::encode);

    try (LiveSubscriber subscriber = LiveSubscriber.connect(root.client(),
        ws + "/queue/listen/ws/" + queue + "/order-1?sequence=first&access_token=" + token)) {
      assertEquals("mine", subscriber.next(WAIT).getString("payload"));
    }
    Listened whole = listen("/queue/listen/longpoll/" + queue + "?sequence=first&timeout_ms=0", token);
    assertError(whole.status(), whole.contentType(), whole.body(), Dialect.SONYA, ErrorCode.FORBIDDEN, "");
    assertEquals(403, refusedUpgrade("/queue/listen/ws/" + queue + "/order-2?access_token=" + token));
  }

  private record Listened(int status, String contentType, String body) {
  }

  private static String createQueue(String prefix) throws Exception {
    String name = prefix + "-" + System.nanoTime();
    HttpJson.Reply created = root.post(base + "/queue/create/" + name, null);
    assertEquals(201, created.status(), created::toString);
    return name;
  }

  private static long send(String queue, String id, String payload) throws Exception {
    HttpJson.Reply sent = root.post(base + "/queue/send/" + queue, new JsonObject().put("id", id)
        .put("payload", payload));
    assertEquals(200, sent.status(), sent::toString);
    return sent.object().getLong("sequence");
  }

  private static String mint(String queue) throws Exception {
    HttpJson.Reply minted = root.post(base + "/queue/generate_jwt/" + queue, null);
    assertEquals(200, minted.status(), minted::toString);
    return minted.object().getString("token");
  }

  private static String newKey(String... scopes) throws Exception {
    HttpJson.Reply created = root.post(base + "/v1/api_keys", new JsonObject().put("name", "k-" + System.nanoTime())
        .put("scopes", new JsonArray(List.of((Object[]) scopes))));
    assertEquals(200, created.status(), created::toString);
    return created.object().getJsonObject("api_key").getString("key");
  }

  // A listen route with the credential in the query, as a browser sends it.
  private static Listened listen(String path, String token) throws Exception {
    String url = path + (path.contains("?") ? "&" : "?") + "access_token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
    return call("GET", url, null);
  }

  private static Listened call(String method, String path, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT)
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response = root.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Listened(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
        response.body());
  }

  // The Sonya error a credential gets, checked for the Sonya format.
  private static ErrorCode errorOf(HttpJson client, String method, String path, JsonObject body) throws Exception {
    HttpJson.Reply reply = client.send(method, base + path, body);
    for (ErrorCode code : List.of(ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED, ErrorCode.QUEUE_NOT_FOUND)) {
      if (Dialect.SONYA.status(code) == reply.status()) {
        assertEquals(Dialect.SONYA.errorBody(new FerryException(code, "x")).fieldNames(),
            reply.object().fieldNames(), reply::toString);
        return code;
      }
    }
    throw new AssertionError("not a refusal: " + reply);
  }

  private static int refusedUpgrade(String path) {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> root.client().newWebSocketBuilder()
        .buildAsync(URI.create(ws + path), new WebSocket.Listener() { }).get());
    return assertInstanceOf(WebSocketHandshakeException.class, failed.getCause()).getResponse().statusCode();
  }

  private static JsonObject claims(String token) {
    String[] parts = token.split("\\.");
    assertEquals(3, parts.length, token);
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  private static String sign(JsonObject claims) {
    Vertx vertx = Vertx.vertx();
    try {
      JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TOKEN_SECRET)));
      return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    } finally {
      vertx.close();
    }
  }
}
