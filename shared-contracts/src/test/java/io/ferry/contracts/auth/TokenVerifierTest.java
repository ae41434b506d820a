package io.ferry.contracts.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.config.JwtConfig;
import io.ferry.contracts.config.TokenConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * generate_jwt tokens verified outside admin: with {@code auth.token-secret} configured, or with admin's
 * secret asked over the bus (here from a stand-in serving {@link Addresses#AUTH_TOKEN_SECRET}) once, and
 * again after a bad signature no more often than {@link TokenVerifier#REFETCH_MS}.
 */
class TokenVerifierTest {

  private static final String FIRST = "the-first-secret-admin-generated-0123456789";
  private static final String SECOND = "a-secret-that-replaced-the-first-one-0123456789";

  private Vertx vertx;
  private final AtomicReference<String> adminSecret = new AtomicReference<>(FIRST);
  private final AtomicInteger asked = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong(1_000_000);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
    Bus.<Object, TokenSecret>serve(vertx, Addresses.AUTH_TOKEN_SECRET, ignored -> {
      asked.incrementAndGet();
      return Future.succeededFuture(new TokenSecret(adminSecret.get()));
    }).await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void adminsSecretIsAskedOnceAndKept() throws Exception {
    TokenVerifier verifier = TokenVerifier.create(vertx, TokenConfig.none(), clock::get);
    assertEquals("sonya:alice", verifier.verify(token(FIRST, "alice")).await(5, TimeUnit.SECONDS).subject());
    assertEquals("sonya:bob", verifier.verify(token(FIRST, "bob")).await(5, TimeUnit.SECONDS).subject());
    assertEquals(1, asked.get());
  }

  @Test
  void aReplacedSecretIsPickedUpAfterABadSignatureButNotMoreOftenThanTheInterval() throws Exception {
    TokenVerifier verifier = TokenVerifier.create(vertx, TokenConfig.none(), clock::get);
    verifier.verify(token(FIRST, "alice")).await(5, TimeUnit.SECONDS);
    adminSecret.set(SECOND);
    clock.addAndGet(1_000);
    assertRefused(verifier, token(SECOND, "alice"), "invalid token");
    assertEquals(1, asked.get(), "too soon after the last request to ask again");
    clock.addAndGet(TokenVerifier.REFETCH_MS);
    assertEquals("sonya:alice", verifier.verify(token(SECOND, "alice")).await(5, TimeUnit.SECONDS).subject());
    assertEquals(2, asked.get());
    assertRefused(verifier, token("a-forged-secret-that-is-long-enough-0123", "alice"), "invalid token");
    assertEquals(2, asked.get(), "forged tokens do not make every request ask admin");
  }

  @Test
  void aConfiguredSecretIsUsedAndAdminNeverAsked() throws Exception {
    TokenVerifier verifier = TokenVerifier.create(vertx, new TokenConfig(JwtConfig.none(), SECOND), clock::get);
    assertEquals("sonya:alice", verifier.verify(token(SECOND, "alice")).await(5, TimeUnit.SECONDS).subject());
    clock.addAndGet(TokenVerifier.REFETCH_MS * 2);
    assertRefused(verifier, token(FIRST, "alice"), "invalid token");
    assertEquals(0, asked.get());
  }

  @Test
  void aRefusedTokenBecomesARequestCarryingItsHashAndReasonNeverTheToken() throws Exception {
    TokenVerifier verifier = TokenVerifier.create(vertx, TokenConfig.none(), clock::get);
    String expired = Sonya.sign(vertx, FIRST, claims("alice").put("exp", clock.get() / 1000 - 120));
    AuthRequest request = verifier.request(expired, "10.0.0.1").await(5, TimeUnit.SECONDS);
    assertEquals(new AuthRequest(null, "10.0.0.1", AuthRequest.keyHash(expired), null, "the token has expired"),
        request);
    AuthRequest key = verifier.request("fry_some-key", "10.0.0.1").await(5, TimeUnit.SECONDS);
    assertNull(key.credential());
    assertEquals(AuthRequest.keyHash("fry_some-key"), key.keyHash());
  }

  @Test
  void withoutAdminATokenCannotBeCheckedRatherThanRefused() throws Exception {
    Vertx alone = Vertx.vertx();
    try {
      Codecs.registerAll(alone.eventBus());
      TokenVerifier verifier = TokenVerifier.create(alone, TokenConfig.none(), clock::get);
      FerryException failure = FerryException.from(assertThrows(Exception.class,
          () -> verifier.request(token(FIRST, "alice"), "10.0.0.1").await(15, TimeUnit.SECONDS)));
      assertEquals(ErrorCode.UNAVAILABLE, failure.code(), failure.getMessage());
    } finally {
      alone.close().await(5, TimeUnit.SECONDS);
    }
  }

  private void assertRefused(TokenVerifier verifier, String token, String reason) throws Exception {
    FerryException refused = FerryException.from(assertThrows(Exception.class,
        () -> verifier.verify(token).await(5, TimeUnit.SECONDS)));
    assertEquals(ErrorCode.UNAUTHENTICATED, refused.code());
    assertEquals(reason, refused.getMessage());
  }

  private String token(String secret, String id) {
    return Sonya.sign(vertx, secret, claims(id));
  }

  private JsonObject claims(String id) {
    return new JsonObject().put("sub", id).put("iss", "orders").put("aud", SonyaTokenVerifier.AUDIENCE)
        .put("account", "acct-1").put("exp", System.currentTimeMillis() / 1000 + 600);
  }

  private static final class Sonya {
    static String sign(Vertx vertx, String secret, JsonObject claims) {
      return SonyaTokenVerifier.provider(vertx, secret).generateToken(claims,
          new JWTOptions().setAlgorithm(SonyaTokenVerifier.ALGORITHM).setNoTimestamp(true));
    }
  }
}
