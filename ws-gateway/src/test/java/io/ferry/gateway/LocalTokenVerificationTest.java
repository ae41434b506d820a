package io.ferry.gateway;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.gateway.TestNode.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.SonyaTokenVerifier;
import io.ferry.contracts.auth.TokenClaims;
import io.ferry.contracts.auth.TokenSecret;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.BusPayload;
import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.gateway.TestNode.Rejection;
import io.ferry.gateway.TestNode.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JWTs presented to the gateway are verified by the gateway: what crosses the bus (every message its
 * Vert.x sends, seen by an outbound interceptor) is the token's hash and verified claims, never the token.
 * The gateway has the identity provider's key configured but no {@code auth.token-secret}: it asks the
 * admin stand-in for the generate_jwt secret.
 */
class LocalTokenVerificationTest {

  private static final String IDP_SECRET = "the-identity-providers-hs256-secret-0123456789";
  private static final String ADMIN_SECRET = "the-secret-admin-generated-and-keeps-0123456789";
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("auth.jwt.hs256-secret", IDP_SECRET));
  private static final List<String> busTraffic = new CopyOnWriteArrayList<>();
  private static final List<AuthRequest> authRequests = new CopyOnWriteArrayList<>();
  private static final AtomicInteger secretRequests = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    Vertx vertx = node.node.vertx();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      Object body = delivery.message().body();
      busTraffic.add(body instanceof BusPayload payload ? payload.toJson().encode() : String.valueOf(body));
      if (body instanceof AuthRequest request) {
        authRequests.add(request);
      }
      delivery.next();
    });
    TestNode.await(Bus.<Object, TokenSecret>serve(vertx, Addresses.AUTH_TOKEN_SECRET, ignored -> {
      secretRequests.incrementAndGet();
      return Future.succeededFuture(new TokenSecret(ADMIN_SECRET));
    }));
    String queueId = node.createQueue("secured");
    node.retain(queueId, message(queueId, 1, "alice", ContentType.TEXT, "for alice"),
        message(queueId, 2, "bob", ContentType.TEXT, "for bob"));
  }

  @BeforeEach
  void forget() {
    busTraffic.clear();
    authRequests.clear();
  }

  @Test
  void anIdentityProviderJwtIsVerifiedHereAndOnlyItsClaimsCrossTheBus() throws Exception {
    JsonObject claims = idpClaims();
    String token = sign(IDP_SECRET, claims);
    Reply reply = node.poll("/queue/listen/longpoll/secured?sequence=first&timeout_ms=0", token);
    assertEquals(200, reply.status(), String.valueOf(reply.body()));
    assertEquals(2, reply.array().size());
    assertNeverOnTheBus(token);
    AuthRequest sent = authRequests.get(0);
    assertEquals(new TokenClaims(TokenClaims.Kind.IDENTITY_PROVIDER, "user-42", TestNode.ACCOUNT,
        List.of("sonya:read:secured"), claims.getLong("exp") * 1000), sent.token());
    assertEquals(AuthRequest.keyHash(token), sent.keyHash());
  }

  @Test
  void aGenerateJwtTokenWorksWithoutAConfiguredSecret() throws Exception {
    String token = sign(ADMIN_SECRET, sonyaClaims("alice"));
    TestSocket socket = node.connect("/queue/listen/ws/secured/alice?sequence=first", token);
    assertEquals("for alice", socket.next().getString("payload"));
    socket.close();
    String bob = sign(ADMIN_SECRET, sonyaClaims("bob"));
    Reply reply = node.poll("/queue/listen/longpoll/secured/bob?sequence=first&timeout_ms=0", bob);
    assertEquals(200, reply.status(), String.valueOf(reply.body()));
    assertEquals("for bob", reply.array().getJsonObject(0).getString("payload"));
    assertEquals(1, secretRequests.get(), "the secret is asked of admin once, then kept");
    assertNeverOnTheBus(token);
    assertNeverOnTheBus(bob);
  }

  @Test
  void badTokensAreRefusedHereWithTheReasonsAdminGaveBefore() throws Exception {
    assertRefused(sign("a-secret-someone-guessed-that-is-long-enough-0", idpClaims()), "invalid token");
    assertRefused(sign(IDP_SECRET, idpClaims().put("exp", now() - 120)), "the token has expired");
    assertRefused(sign(IDP_SECRET, idpClaims().put("aud", "someone-else")),
        "the token is not valid: its aud claim does not name this server's audience");
    assertRefused(sign("a-secret-someone-guessed-that-is-long-enough-0", sonyaClaims("alice")), "invalid token");
    assertRefused(sign(ADMIN_SECRET, sonyaClaims("alice").put("exp", now() - 120)), "the token has expired");
    assertRefused("a.b.c", "invalid token");
    // A refused token still reaches admin (its hash and why), which owns the failed-authentication throttle.
    assertTrue(authRequests.stream().allMatch(request -> request.refusal() != null && request.token() == null));
  }

  private static void assertRefused(String token, String reason) throws Exception {
    Reply poll = node.poll("/queue/listen/longpoll/secured/alice?timeout_ms=0", token);
    assertError(poll.status(), poll.headers().get("Content-Type"), poll.error().encode(), Dialect.SONYA,
        ErrorCode.UNAUTHENTICATED, reason);
    assertEquals(reason, poll.error().getString("message"));
    Rejection ws = node.reject("/queue/listen/ws/secured/alice", token);
    assertEquals(401, ws.status());
    assertEquals(reason, ws.body().getString("message"));
    assertNeverOnTheBus(token);
  }

  private static void assertNeverOnTheBus(String token) {
    assertFalse(busTraffic.isEmpty(), "the interceptor saw the bus");
    for (String payload : busTraffic) {
      assertFalse(payload.contains(token), "a token crossed the bus: " + payload);
    }
  }

  private static String sign(String secret, JsonObject claims) {
    JWTAuth jwt = JWTAuth.create(node.client, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  private static JsonObject idpClaims() {
    return new JsonObject().put("sub", "user-42").put("account", TestNode.ACCOUNT).put("aud", "ferry")
        .put("scope", "sonya:read:secured").put("exp", now() + 600);
  }

  private static JsonObject sonyaClaims(String id) {
    return new JsonObject().put("sub", id).put("iss", "secured").put("aud", SonyaTokenVerifier.AUDIENCE)
        .put("account", TestNode.ACCOUNT).put("exp", now() + 600);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
