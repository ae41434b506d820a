package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.bus.BusAdminEvents;
import io.ferry.admin.bus.BusMessagingCommands;
import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.store.AdminStore;
import io.ferry.admin.store.RocksAdminStore;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sonya tokens as the Authenticator sees them: what is accepted, and every way a forged one is refused. One
 * store for the class; each test gets an account and an authenticator (with its own failure throttle) of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SonyaTokensTest {

  private static final String SECRET = "a-configured-token-secret-of-32-chars-or-more";
  private static final String SERVICE_TOKEN = "the-sonya-service-token";
  private static final String CLIENT = "192.0.2.10";
  private static final AuthConfig CONFIG = auth(Map.of("auth.sonya-service-token", SERVICE_TOKEN,
      "auth.token-secret", SECRET));

  // Auth settings by their configuration keys, the rest at their defaults (secure mode, 60 s Sonya tokens).
  private static AuthConfig auth(Map<String, String> settings) {
    Map<String, String> values = new HashMap<>();
    settings.forEach((key, value) -> values.put(ConfigReader.envName(key), value));
    return AuthConfig.from(ConfigReader.of(values));
  }

  private Path dir;
  private Vertx vertx;
  private AdminStore store;
  private SonyaTokens tokens;
  private String account;
  private Authenticator authenticator;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
    store = RocksAdminStore.open(vertx, dir.resolve("store")).await(10, TimeUnit.SECONDS);
    tokens = SonyaTokens.open(vertx, store.settings(), CONFIG).await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void newAccount() throws Exception {
    account = Ids.newId();
    store.accounts().insertAccount(new Account(account, "default", System.currentTimeMillis()))
        .await(10, TimeUnit.SECONDS);
    authenticator = new Authenticator(store.accounts(), CONFIG, account, tokens,
        new FailureThrottle(Authenticator.MAX_FAILURES, Authenticator.FAILURE_WINDOW_MS, System::currentTimeMillis));
  }

  @AfterAll
  void stop() throws Exception {
    store.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Principal authenticate(String credential) throws Exception {
    return authenticate(credential, CLIENT);
  }

  private Principal authenticate(String credential, String client) throws Exception {
    return authenticator.authenticate(new AuthRequest(credential, client)).await(10, TimeUnit.SECONDS);
  }

  private void assertRefused(String token, String why) {
    FerryException refused = assertThrows(FerryException.class, () -> authenticate(token), why);
    assertEquals(ErrorCode.UNAUTHENTICATED, refused.code(), why + ": " + refused.getMessage());
  }

  private JsonObject validClaims() {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", "user-1").put("iss", "orders").put("aud", SonyaTokens.AUDIENCE)
        .put("account", account).put("iat", now).put("exp", now + 60);
  }

  @Test
  void issuedTokenAuthenticatesAsThatQueueAndIdUntilItExpires() throws Exception {
    SonyaTokens.Issued issued = tokens.issue(account, "orders", "user-1");
    Principal principal = authenticate(issued.token());
    assertEquals(new Principal(account, "sonya:user-1", List.of(Principal.sonyaListen("orders", "user-1")), false,
        issued.expiration() * 1000), principal);
    long inAMinute = System.currentTimeMillis() / 1000 + 60;
    assertTrue(Math.abs(issued.expiration() - inAMinute) <= 2, "lifetime is sonya-token-ttl-seconds");
  }

  @Test
  void queueTokenAuthenticatesAsSonyaReadOfThatQueueOnly() throws Exception {
    SonyaTokens.Issued issued = tokens.issueForQueue(account, "orders");
    Principal principal = authenticate(issued.token());
    assertEquals(new Principal(account, "sonya-queue:orders", List.of("sonya:read:orders"), false,
        issued.expiration() * 1000), principal);
    assertTrue(principal.allows(Resource.SONYA, Access.READ, "orders"));
    assertFalse(principal.allows(Resource.SONYA, Access.READ, "invoices"));
    assertFalse(principal.allowsSome(Resource.SONYA, Access.WRITE));
    assertFalse(principal.allowsSome(Resource.MESSAGES, Access.READ));
  }

  @Test
  void queueTokenThatIsNotExactlyOneIsRefused() throws Exception {
    assertRefused(hs256(queueClaims().put("sub", "user-1"), SECRET), "queue-wide and an id");
    assertRefused(hs256(queueClaims().put("queue_wide", false), SECRET), "queue_wide false");
    assertRefused(hs256(queueClaims().put("queue_wide", "true"), SECRET), "queue_wide as a string");
    assertRefused(hs256(queueClaims().put("exp", System.currentTimeMillis() / 1000 - 120), SECRET), "expired");
    JsonObject noExpiry = queueClaims();
    noExpiry.remove("exp");
    assertRefused(hs256(noExpiry, SECRET), "no exp");
    JsonObject noAccount = queueClaims();
    noAccount.remove("account");
    assertRefused(hs256(noAccount, SECRET), "no account");
    // Sonya's own format names an id: a queue-wide claim signed with the service token grants nothing.
    Authenticator sonyaFormat = sonyaFormatAuthenticator(LONG_SERVICE_TOKEN, true);
    JsonObject serviceSigned = sonyaClaims().put("queue_wide", true);
    serviceSigned.remove("sub");
    assertRefusedBy(sonyaFormat, hs256(serviceSigned, LONG_SERVICE_TOKEN), "service-signed without sub");
  }

  private JsonObject queueClaims() {
    JsonObject claims = validClaims().put("queue_wide", true);
    claims.remove("sub");
    return claims;
  }

  @Test
  void handMadeTokenWithTheRightSecretIsAccepted() throws Exception {
    // The matrix below differs from this one in one thing each, so each refusal is for its own reason.
    assertEquals("sonya:user-1", authenticate(hs256(validClaims(), SECRET)).subject());
  }

  @Test
  void serviceTokenIsTheDefaultAccountsSonyaScope() throws Exception {
    assertEquals(new Principal(account, "sonya-service-token", List.of(Principal.SONYA), false),
        authenticate(SERVICE_TOKEN));
    assertRefused(SERVICE_TOKEN + "x", "a longer token");
    assertRefused(SERVICE_TOKEN.substring(1), "a shorter token");
  }

  @Test
  void apiKeyShapedLikeAJwtIsStillAnApiKey() throws Exception {
    String key = "configured.key-with-two.dots";
    store.accounts().insertApiKey(new ApiKey(Ids.newId(), account, "dotted", Secrets.hashKey(key), true,
        System.currentTimeMillis())).await(10, TimeUnit.SECONDS);
    Principal principal = authenticate(key);
    assertEquals(List.of(Principal.ALL), principal.scopes());
    assertTrue(principal.root());
  }

  @Test
  void algNoneIsRefused() {
    assertRefused(unsigned(validClaims(), "none") + "", "alg none, empty signature");
    assertRefused(unsigned(validClaims(), "None") + "", "alg None");
  }

  @Test
  void wrongKeyIsRefused() throws Exception {
    assertRefused(hs256(validClaims(), "another-secret-of-the-same-length-000000"), "wrong HMAC key");
    assertRefused(hs512(validClaims(), SECRET), "right secret but HS512");
  }

  @Test
  void asymmetricAlgorithmIsRefused() throws Exception {
    assertRefused(rs256(validClaims(), TestKeys.rsa().getPrivate()), "RS256 (HS/RS confusion)");
  }

  @Test
  void expiredIsRefused() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    assertRefused(hs256(validClaims().put("iat", now - 120).put("exp", now - 60), SECRET), "expired a minute ago");
  }

  @Test
  void notYetValidIsRefused() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    assertRefused(hs256(validClaims().put("nbf", now + 60).put("exp", now + 120), SECRET), "nbf in a minute");
  }

  @Test
  void wrongOrMissingAudienceIsRefused() throws Exception {
    assertRefused(hs256(validClaims().put("aud", "someone-else"), SECRET), "other audience");
    JsonObject noAudience = validClaims();
    noAudience.remove("aud");
    assertRefused(hs256(noAudience, SECRET), "no audience");
  }

  @Test
  void tokenThatNeverExpiresOrLacksClaimsIsRefused() throws Exception {
    for (String claim : List.of("exp", "sub", "iss", "account")) {
      JsonObject claims = validClaims();
      claims.remove(claim);
      assertRefused(hs256(claims, SECRET), "without " + claim);
    }
  }

  @Test
  void unknownAccountIsRefused() throws Exception {
    assertRefused(hs256(validClaims().put("account", Ids.newId()), SECRET), "account that does not exist");
  }

  @Test
  void tamperedPayloadIsRefused() throws Exception {
    String[] parts = tokens.issue(account, "orders", "user-1").token().split("\\.");
    String otherId = base64(validClaims().put("sub", "user-2").encode());
    assertRefused(parts[0] + "." + otherId + "." + parts[2], "payload changed after signing");
    assertRefused(parts[0] + "." + parts[1] + ".", "signature removed");
    assertRefused("not.a.jwt", "garbage with two dots");
  }

  @Test
  void refusedTokensCountTowardTheThrottle() throws Exception {
    String client = "198.51.100.7";
    String forged = hs256(validClaims(), "another-secret-of-the-same-length-000000");
    for (int i = 0; i <= Authenticator.MAX_FAILURES; i++) {
      String attempt = forged;
      assertThrows(FerryException.class, () -> authenticate(attempt, client));
    }
    FerryException throttled = assertThrows(FerryException.class, () -> authenticate(forged, client));
    assertEquals(ErrorCode.TOO_MANY_REQUESTS, throttled.code());
    // A valid token from the same client is not refused for the forged one's failures.
    assertEquals(account, authenticate(tokens.issue(account, "orders", "user-1").token(), client).accountId());
  }

  // Sonya's own format, as its generate_jwt writes it: HS256 over {sub, iss, exp}, keyed by the service token.
  private static final String LONG_SERVICE_TOKEN = "a-sonya-service-token-of-32-chars-or-more";

  private Authenticator sonyaFormatAuthenticator(String serviceToken, boolean withDefaultAccount) throws Exception {
    AuthConfig config = auth(Map.of("auth.sonya-service-token", serviceToken, "auth.token-secret", SECRET));
    SonyaTokens sonyaTokens = (withDefaultAccount ? SonyaTokens.open(vertx, store.settings(), config, account)
        : SonyaTokens.open(vertx, store.settings(), config)).await(10, TimeUnit.SECONDS);
    return new Authenticator(store.accounts(), config, account, sonyaTokens,
        new FailureThrottle(Authenticator.MAX_FAILURES, Authenticator.FAILURE_WINDOW_MS, System::currentTimeMillis));
  }

  private static JsonObject sonyaClaims() {
    return new JsonObject().put("sub", "user-1").put("exp", System.currentTimeMillis() / 1000 + 60)
        .put("iss", "orders");
  }

  private static void assertRefusedBy(Authenticator by, String token, String why) {
    FerryException refused = assertThrows(FerryException.class,
        () -> by.authenticate(new AuthRequest(token, CLIENT)).await(10, TimeUnit.SECONDS), why);
    assertEquals(ErrorCode.UNAUTHENTICATED, refused.code(), why + ": " + refused.getMessage());
  }

  @Test
  void sonyaFormatTokenSignedWithTheServiceTokenListensToItsIdInTheDefaultAccount() throws Exception {
    Authenticator sonyaFormat = sonyaFormatAuthenticator(LONG_SERVICE_TOKEN, true);
    JsonObject claims = sonyaClaims();
    Principal principal = sonyaFormat.authenticate(new AuthRequest(hs256(claims, LONG_SERVICE_TOKEN), CLIENT))
        .await(10, TimeUnit.SECONDS);
    assertEquals(new Principal(account, "sonya:user-1", List.of(Principal.sonyaListen("orders", "user-1")), false,
        claims.getLong("exp") * 1000), principal);
    assertEquals("sonya:user-1", sonyaFormat.authenticate(new AuthRequest(tokens.issue(account, "orders",
        "user-1").token(), CLIENT)).await(10, TimeUnit.SECONDS).subject(), "Ferry's own tokens still pass");
  }

  @Test
  void sonyaFormatTokensAreRefusedUnlessExactlySonyasShapeAndKey() throws Exception {
    Authenticator sonyaFormat = sonyaFormatAuthenticator(LONG_SERVICE_TOKEN, true);
    long now = System.currentTimeMillis() / 1000;
    assertRefusedBy(sonyaFormat, hs256(sonyaClaims().put("exp", now - 60), LONG_SERVICE_TOKEN), "expired");
    JsonObject noExpiry = sonyaClaims();
    noExpiry.remove("exp");
    assertRefusedBy(sonyaFormat, hs256(noExpiry, LONG_SERVICE_TOKEN), "never expires");
    assertRefusedBy(sonyaFormat, hs256(sonyaClaims().put("account", Ids.newId()), LONG_SERVICE_TOKEN),
        "names an account: only Ferry's key may sign that");
    assertRefusedBy(sonyaFormat, hs256(sonyaClaims().put("aud", SonyaTokens.AUDIENCE), LONG_SERVICE_TOKEN),
        "Ferry's audience with the service token's key");
    assertRefusedBy(sonyaFormat, hs512(sonyaClaims(), LONG_SERVICE_TOKEN), "HS512");
    assertRefusedBy(sonyaFormat, unsigned(sonyaClaims(), "none"), "alg none");
    assertRefusedBy(sonyaFormat, hs256(sonyaClaims(), LONG_SERVICE_TOKEN + "x"), "another key");
    assertRefusedBy(sonyaFormatAuthenticator(SERVICE_TOKEN, true), hs256(sonyaClaims(), SERVICE_TOKEN),
        "a service token shorter than " + SonyaTokens.MIN_SIGNING_SERVICE_TOKEN + " characters signs nothing");
    assertRefusedBy(sonyaFormatAuthenticator(LONG_SERVICE_TOKEN, false), hs256(sonyaClaims(), LONG_SERVICE_TOKEN),
        "not opened for the default account");
  }

  @Test
  void generatedSecretIsKeptAcrossRestartsAndTokensStayValid() throws Exception {
    Path other = dir.resolve("generated");
    AuthConfig noSecret = auth(Map.of());
    AdminStore first = RocksAdminStore.open(vertx, other).await(10, TimeUnit.SECONDS);
    first.accounts().insertAccount(new Account(account, "default", System.currentTimeMillis()))
        .await(10, TimeUnit.SECONDS);
    String token = SonyaTokens.open(vertx, first.settings(), noSecret).await(10, TimeUnit.SECONDS)
        .issue(account, "orders", "user-1").token();
    first.close().await(10, TimeUnit.SECONDS);

    AdminStore second = RocksAdminStore.open(vertx, other).await(10, TimeUnit.SECONDS);
    try {
      SonyaTokens reopened = SonyaTokens.open(vertx, second.settings(), noSecret).await(10, TimeUnit.SECONDS);
      assertEquals("sonya:user-1", reopened.verify(token).await(10, TimeUnit.SECONDS).subject());
      String kept = second.settings().settingOrInit(SonyaTokens.SECRET_SETTING, "ignored").await(10, TimeUnit.SECONDS);
      assertTrue(kept.length() >= 43 && !kept.equals("ignored"), "a random secret was generated and kept");
      assertRefused(token, "a generated secret is not the configured one");
    } finally {
      second.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void tokensAreOnlyIssuedForQueuesOfTheCallersAccount() throws Exception {
    MessageConsumer<Object> messaging = vertx.eventBus().<Object>consumer(Addresses.MESSAGING_QUEUE_UPSERT,
        message -> message.reply(Ack.INSTANCE));
    messaging.completion().await(5, TimeUnit.SECONDS);
    QueueService queues = new QueueService(store.queues(), store.consumers(), store.listeners(),
        new BusMessagingCommands(vertx), new BusAdminEvents(vertx));
    SonyaService sonya = new SonyaService(queues, tokens, new BusMessagingCommands(vertx), new BusAdminEvents(vertx));
    queues.create(account, "mine", QueueSettings.DEFAULTS).await(10, TimeUnit.SECONDS);
    assertEquals("mine", new JsonObject(new String(Base64.getUrlDecoder().decode(
        sonya.generateToken(account, "mine", "1").await(10, TimeUnit.SECONDS).token().split("\\.")[1]),
        StandardCharsets.UTF_8)).getString("iss"));
    for (Future<?> attempt : List.of(sonya.generateToken(Ids.newId(), "mine", "1"),
        sonya.deleteId(Ids.newId(), "mine", "1"))) {
      FerryException refused = assertThrows(FerryException.class, () -> attempt.await(10, TimeUnit.SECONDS));
      assertEquals(ErrorCode.QUEUE_NOT_FOUND, refused.code());
    }
    // Closing is idempotent: another account's queue is answered like a missing one, and left alone.
    assertEquals(false, sonya.close(Ids.newId(), "mine").await(10, TimeUnit.SECONDS));
    assertEquals("mine", queues.lookup(io.ferry.contracts.model.QueueLookup.byName(account, "mine"))
        .await(10, TimeUnit.SECONDS).name());
    messaging.unregister().await(5, TimeUnit.SECONDS);
  }

  // --- hand-made tokens ------------------------------------------------------------------------

  private static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(JsonObject claims, String alg) {
    return base64(new JsonObject().put("alg", alg).put("typ", "JWT").encode()) + "." + base64(claims.encode()) + ".";
  }

  private static String hs256(JsonObject claims, String secret) throws Exception {
    return hmac(claims, secret, "HS256", "HmacSHA256");
  }

  private static String hs512(JsonObject claims, String secret) throws Exception {
    return hmac(claims, secret, "HS512", "HmacSHA512");
  }

  private static String hmac(JsonObject claims, String secret, String alg, String javaName) throws Exception {
    String signingInput = signingInput(claims, alg);
    Mac mac = Mac.getInstance(javaName);
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), javaName));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String rs256(JsonObject claims, PrivateKey key) throws Exception {
    String signingInput = signingInput(claims, "RS256");
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(key);
    signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
  }

  private static String signingInput(JsonObject claims, String alg) {
    return base64(new JsonObject().put("alg", alg).put("typ", "JWT").encode()) + "." + base64(claims.encode());
  }
}
