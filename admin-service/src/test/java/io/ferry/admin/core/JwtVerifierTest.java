package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.ConfigException;
import io.ferry.contracts.config.JwtConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.auth.JwtVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verifier on its own: issuer and audience rules, claims it maps, and keys it refuses to start with. */
class JwtVerifierTest {

  private static final String SECRET = "an-hs256-secret-of-the-identity-provider-0123";
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void mapsClaimsToTheTokensRights() throws Exception {
    JwtVerifier verifier = JwtVerifier.create(vertx, new JwtConfig(SECRET, List.of(), "ferry", null, 0));
    long exp = now() + 60;
    JwtVerifier.VerifiedToken token = verifier.verify(hs256(claims().put("exp", exp)
        .put("scope", " queues:read:*  sonya:*:* nonsense *:*:* "))).await(10, TimeUnit.SECONDS);
    assertEquals("user-1", token.subject());
    assertEquals("acct", token.accountId());
    assertEquals(List.of("queues:read:*", "sonya", "*"), token.scopes());
    assertEquals(exp * 1000, token.expiresAtMs());
    assertEquals(List.of(), verifier.verify(hs256(claims().put("aud", new JsonArray().add("x").add("ferry"))))
        .await(10, TimeUnit.SECONDS).scopes());
  }

  @Test
  void aConfiguredIssuerIsRequired() throws Exception {
    JwtVerifier verifier = JwtVerifier.create(vertx,
        new JwtConfig(SECRET, List.of(), "ferry", "https://idp.example", 0));
    assertEquals("acct", verifier.verify(hs256(claims().put("iss", "https://idp.example")))
        .await(10, TimeUnit.SECONDS).accountId());
    assertRefused(verifier, hs256(claims().put("iss", "https://evil.example")));
    assertRefused(verifier, hs256(claims()));
  }

  @Test
  void claimsFerryNeedsAreRequired() {
    JwtVerifier verifier = JwtVerifier.create(vertx, new JwtConfig(SECRET, List.of(), "ferry", null, 0));
    JsonObject noSub = claims();
    noSub.remove("sub");
    assertRefused(verifier, hs256(noSub));
    JsonObject noAccount = claims();
    noAccount.remove("account");
    assertRefused(verifier, hs256(noAccount));
    assertRefused(verifier, hs256(claims().put("scope", new JsonArray().add("*"))));
  }

  @Test
  void withoutKeysEveryTokenIsRefused() {
    JwtVerifier verifier = JwtVerifier.create(vertx, JwtConfig.none());
    assertTrue(!verifier.enabled());
    assertRefused(verifier, hs256(claims()));
  }

  @Test
  void unusableKeysFailStartUpNamingTheSetting() throws Exception {
    KeyPairGenerator shortRsa = KeyPairGenerator.getInstance("RSA");
    shortRsa.initialize(1024);
    assertConfigRefused(Base64.getEncoder().encodeToString(shortRsa.generateKeyPair().getPublic().getEncoded()));
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    assertConfigRefused(Base64.getEncoder().encodeToString(p384.generateKeyPair().getPublic().getEncoded()));
    assertConfigRefused(Base64.getEncoder().encodeToString("not a key".getBytes(StandardCharsets.UTF_8)));
    assertConfigRefused("%%%not-base64%%%");
  }

  private void assertConfigRefused(String pemBody) {
    ConfigException refused = assertThrows(ConfigException.class, () -> JwtVerifier.create(vertx,
        new JwtConfig(null, List.of(pemBody), "ferry", null, 0)));
    assertTrue(refused.getMessage().contains("auth.jwt.public-keys-file"), refused.getMessage());
  }

  private static void assertRefused(JwtVerifier verifier, String token) {
    FerryException refused = assertThrows(FerryException.class,
        () -> verifier.verify(token).await(10, TimeUnit.SECONDS));
    assertEquals(ErrorCode.UNAUTHENTICATED, refused.code());
  }

  private static JsonObject claims() {
    return new JsonObject().put("sub", "user-1").put("account", "acct").put("aud", "ferry")
        .put("exp", now() + 60);
  }

  private static String hs256(JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
