package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.core.TestKeys;
import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.Ids;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a credential can be wrong, over real HTTP against admin routes of both management dialects, on a
 * node that accepts HS256, RS256 and ES256 JWTs at once. Tokens are signed here ({@link Jws}), not by Ferry.
 * Each request comes from its own loopback address so that the failure throttle never interferes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthMatrixTest {

  private static final String SECRET = "an-hs256-secret-of-the-identity-provider-0123";
  private static final String AUDIENCE = "ferry";
  private static final String CLOUDFLARE = "cloudflare";
  private static final String DISCUE = "discue";
  private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(1);

  private AdminTestNode admin;
  private String account;
  private KeyPair rsa;
  private KeyPair otherRsa;
  private KeyPair ec;
  private String disabledKey;
  private String revokedKey;
  private String wrongScopeKey;

  record Case(String name, Supplier<String> credential, int status) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    rsa = TestKeys.rsa();
    otherRsa = TestKeys.otherRsa();
    KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
    ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
    ec = ecGenerator.generateKeyPair();
    Path keys = dir.resolve("idp-keys.pem");
    Files.writeString(keys, Jws.pem(rsa.getPublic()) + Jws.pem(ec.getPublic()));
    admin = AdminTestNode.start(dir.resolve("data"), Map.of("auth.jwt.hs256-secret", SECRET,
        "auth.jwt.public-keys-file", keys.toString(), "auth.jwt.audience", AUDIENCE));
    account = admin.defaultAccountId();
    String root = admin.bannerKey();
    disabledKey = createKey(root, new JsonObject().put("name", "off").put("status", "disabled"));
    revokedKey = createKey(root, new JsonObject().put("name", "gone"));
    String revokedId = keyId(root, "gone");
    assertEquals(200, admin.call(io.vertx.core.http.HttpMethod.DELETE, "/v1/api_keys/" + revokedId, root, null)
        .statusCode());
    wrongScopeKey = createKey(root, new JsonObject().put("name", "writer").put("scopes", new JsonArray()
        .add(new JsonObject().put("resource", "messages").put("access", new JsonArray().add("write"))
            .put("targets", new JsonArray().add("*")))));
  }

  @AfterAll
  void stop() throws Exception {
    admin.close();
  }

  Stream<Arguments> cases() {
    List<Case> cases = List.of(
        new Case("valid HS256", () -> Jws.hs256(claims(), bytes(SECRET)), 200),
        new Case("valid RS256", () -> Jws.rs256(claims(), rsa.getPrivate()), 200),
        new Case("valid ES256", () -> Jws.es256(claims(), ec.getPrivate()), 200),
        new Case("missing", () -> null, 401),
        new Case("malformed: abc", () -> "abc", 401),
        new Case("malformed: a.b.c", () -> "a.b.c", 401),
        new Case("malformed: bad base64", () -> "e$y!.*&^.%%%", 401),
        new Case("malformed: JSON that is not JSON", () -> b64("{\"alg\":") + "." + b64("nope") + ".c2ln", 401),
        new Case("expired", () -> Jws.hs256(claims().put("exp", now() - 120), bytes(SECRET)), 401),
        new Case("without exp", () -> {
          JsonObject claims = claims();
          claims.remove("exp");
          return Jws.hs256(claims, bytes(SECRET));
        }, 401),
        new Case("exp out of range", () -> Jws.hs256(claims().put("exp", 1e300), bytes(SECRET)), 401),
        new Case("exp not a number", () -> Jws.hs256(claims().put("exp", "tomorrow"), bytes(SECRET)), 401),
        new Case("not yet valid", () -> Jws.hs256(claims().put("nbf", now() + 600), bytes(SECRET)), 401),
        new Case("alg none", () -> Jws.unsigned(claims()), 401),
        new Case("other HS256 secret", () -> Jws.hs256(claims(), bytes(SECRET + "-but-another")), 401),
        new Case("other RSA key", () -> Jws.rs256(claims(), otherRsa.getPrivate()), 401),
        new Case("HS256 signed with the RSA public key", () -> Jws.hs256(claims(),
            Jws.pem(rsa.getPublic()).getBytes(StandardCharsets.US_ASCII)), 401),
        new Case("HS256 signed with the RSA public key's DER", () -> Jws.hs256(claims(),
            rsa.getPublic().getEncoded()), 401),
        new Case("wrong audience", () -> Jws.hs256(claims().put("aud", "someone-else"), bytes(SECRET)), 401),
        new Case("no audience", () -> {
          JsonObject claims = claims();
          claims.remove("aud");
          return Jws.hs256(claims, bytes(SECRET));
        }, 401),
        new Case("unknown account", () -> Jws.hs256(claims().put("account", Ids.newId()), bytes(SECRET)), 401),
        new Case("disabled API key", () -> disabledKey, 401),
        new Case("revoked API key", () -> revokedKey, 401),
        new Case("unknown API key", () -> "fry_not-a-key-anyone-was-given", 401),
        new Case("JWT with the wrong scope", () -> Jws.hs256(claims().put("scope", "messages:write:*"),
            bytes(SECRET)), 403),
        new Case("JWT without scope", () -> {
          JsonObject claims = claims();
          claims.remove("scope");
          return Jws.rs256(claims, rsa.getPrivate());
        }, 403),
        new Case("API key with the wrong scope", () -> wrongScopeKey, 403));
    List<Arguments> matrix = new ArrayList<>();
    for (Case c : cases) {
      matrix.add(Arguments.of(c, CLOUDFLARE));
      matrix.add(Arguments.of(c, DISCUE));
    }
    return matrix.stream();
  }

  @ParameterizedTest(name = "{0} via {1}")
  @MethodSource("cases")
  void answersInTheDialectOfTheRoute(Case c, String dialect) throws Exception {
    String path = dialect.equals(CLOUDFLARE) ? "/client/v4/accounts/" + account + "/queues" : "/v1/queues";
    HttpResponse<Buffer> response = get(path, c.credential().get(), nextAddress());
    assertEquals(c.status(), response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    if (c.status() == 200) {
      return;
    }
    if (dialect.equals(CLOUDFLARE)) {
      assertEquals(false, body.getBoolean("success"));
      assertEquals(10106, body.getJsonArray("errors").getJsonObject(0).getInteger("code"));
    } else {
      assertEquals(c.status() == 401 ? "Unauthorized" : "Forbidden", body.getString("title"));
      assertEquals(c.status(), body.getInteger("status"));
      assertFalse(body.getString("detail").isBlank());
    }
  }

  @Test
  void refusalsSayWhy() throws Exception {
    assertDetail(Jws.hs256(claims().put("exp", now() - 120), bytes(SECRET)), "expired");
    assertDetail(Jws.hs256(claims().put("aud", "someone-else"), bytes(SECRET)), "audience");
    assertDetail(Jws.hs256(claims().put("account", Ids.newId()), bytes(SECRET)), "account does not exist");
    assertDetail(disabledKey, "the API key is disabled");
  }

  @Test
  void aValidTokenActsWithinItsAccountAndScopes() throws Exception {
    String token = Jws.es256(claims().put("scope", "queues:read:* queues:write:jwt-made"), ec.getPrivate());
    String address = nextAddress();
    HttpResponse<Buffer> created = post("/v1/queues", token, new JsonObject().put("name", "jwt-made"), address);
    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertEquals(403, post("/v1/queues", token, new JsonObject().put("name", "not-granted"), address).statusCode());
    assertTrue(get("/v1/queues", token, address).bodyAsString().contains("jwt-made"));
  }

  @Test
  void jwtFailuresAreThrottledLikeAnyOther() throws Exception {
    String address = nextAddress();
    String forged = Jws.hs256(claims(), bytes("a-guessed-secret-that-is-long-enough-0"));
    for (int i = 0; i < 21; i++) {
      assertEquals(401, get("/v1/queues", forged, address).statusCode());
    }
    HttpResponse<Buffer> throttled = get("/v1/queues", forged, address);
    assertEquals(429, throttled.statusCode(), throttled.bodyAsString());
    assertEquals(200, get("/v1/queues", Jws.hs256(claims().put("jti", "x"), bytes(SECRET)), address)
        .statusCode(), "a valid token is never refused for the failures of others at its address");
  }

  @Test
  void aMalformedTokenIsAnInvalidTokenWithNothingOfTheParser() throws Exception {
    for (String malformed : List.of("a.b.c", "e$y!.*&^.%%%", b64("{\"alg\":") + "." + b64("nope") + ".c2ln",
        b64("{\"alg\":\"HS256\"}") + "." + b64("[1,2") + ".c2ln")) {
      HttpResponse<Buffer> refused = get("/v1/queues", malformed, nextAddress());
      assertEquals(401, refused.statusCode());
      assertEquals("invalid token", refused.bodyAsJsonObject().getString("detail"), malformed);
    }
  }

  @Test
  void sonyaTokensStillWorkNextToIdentityProviderJwts() throws Exception {
    String root = admin.bannerKey();
    assertEquals(201, admin.post("/queue/create/chat", root, null).statusCode());
    HttpResponse<Buffer> issued = admin.post("/queue/generate_jwt/chat/room-1", root, null);
    assertEquals(200, issued.statusCode(), issued.bodyAsString());
    Principal principal = Bus.<Principal>request(admin.node.vertx(), Addresses.AUTH_AUTHENTICATE,
        new AuthRequest(issued.bodyAsJsonObject().getString("token"), nextAddress())).await(10, TimeUnit.SECONDS);
    assertEquals(List.of(Principal.sonyaListen("chat", "room-1")), principal.scopes());
    assertEquals(account, principal.accountId());
  }

  private JsonObject claims() {
    return new JsonObject()
        .put("sub", "user-42")
        .put("account", account)
        .put("aud", AUDIENCE)
        .put("scope", "queues:read:*")
        .put("iat", now())
        .put("exp", now() + 300);
  }

  private HttpResponse<Buffer> get(String path, String credential, String fromAddress) throws Exception {
    return send(path, credential, null, fromAddress);
  }

  private HttpResponse<Buffer> post(String path, String credential, JsonObject body, String fromAddress)
      throws Exception {
    return send(path, credential, body, fromAddress);
  }

  private HttpResponse<Buffer> send(String path, String credential, JsonObject body, String fromAddress)
      throws Exception {
    WebClient client = WebClient.create(admin.node.vertx(), new WebClientOptions().setLocalAddress(fromAddress));
    try {
      HttpRequest<Buffer> request = body == null
          ? client.get(admin.node.httpPort(), "127.0.0.1", path)
          : client.post(admin.node.httpPort(), "127.0.0.1", path);
      if (credential != null) {
        request.bearerTokenAuthentication(credential);
      }
      return (body == null ? request.send() : request.sendJsonObject(body)).await(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  private void assertDetail(String credential, String expected) throws Exception {
    String detail = get("/v1/queues", credential, nextAddress()).bodyAsJsonObject().getString("detail");
    assertTrue(detail.contains(expected), detail);
  }

  private String createKey(String root, JsonObject body) throws Exception {
    HttpResponse<Buffer> created = admin.post("/v1/api_keys", root, body);
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("api_key").getString("key");
  }

  private String keyId(String root, String name) throws Exception {
    JsonArray keys = admin.get("/v1/api_keys", root).bodyAsJsonObject().getJsonArray("api_keys");
    for (int i = 0; i < keys.size(); i++) {
      if (keys.getJsonObject(i).getString("name").equals(name)) {
        return keys.getJsonObject(i).getString("id");
      }
    }
    throw new AssertionError("no key named " + name);
  }

  // 127.0.0.0/8 is all loopback: every request gets an address of its own, so throttling is per case.
  private static String nextAddress() {
    int n = NEXT_ADDRESS.getAndIncrement();
    return "127.0." + (n / 250 + 1) + "." + (n % 250 + 1);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(String text) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(text));
  }
}
