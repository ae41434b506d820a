package io.ferry.contracts.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.CredentialsRevoked;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.TokenVerifier;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.config.TokenConfig;
import io.ferry.contracts.net.TrustedProxies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The auth cache and revocations: admin is a stand-in that counts how often each credential is asked about,
 * so whether an answer came from the cache shows in the count.
 */
class AuthenticationRevocationTest {

  private static final String ACCOUNT = "acct-revoked";
  private static final String HELD = "key-whose-answer-is-held";
  private static final String OTHER = "another-key-of-the-account";
  private static final String NEIGHBOUR = "a-key-of-another-account";

  private Vertx vertx;
  private HttpServer server;
  private WebClient client;
  private final Map<String, AtomicInteger> asks = new ConcurrentHashMap<>();
  private final AtomicReference<Promise<Principal>> heldAnswer = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
    Authentication authentication = Authentication.install(vertx, TrustedProxies.none(),
        TokenVerifier.create(vertx, TokenConfig.none()));
    authentication.followingRevocations().await(5, TimeUnit.SECONDS);
    Bus.serve(vertx, Endpoints.AUTH_AUTHENTICATE, this::answer).await(5, TimeUnit.SECONDS);
    Router router = Router.router(vertx);
    router.get("/thing").handler(authentication).handler(ctx -> ctx.end("ok"));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anAnswerAskedBeforeARevocationArrivedServesItsRequestButIsNotCached() throws Exception {
    assertEquals(200, get(OTHER).statusCode());
    assertEquals(1, asked(OTHER), "asked once, then cached");
    Promise<Principal> held = Promise.promise();
    heldAnswer.set(held);
    Future<HttpResponse<Buffer>> first = send(HELD);
    await().atMost(Duration.ofSeconds(5)).until(() -> asked(HELD) == 1);

    Bus.publish(vertx, Endpoints.CREDENTIALS_REVOKED, new CredentialsRevoked(ACCOUNT));
    // The account's cached principals are gone once the other key is asked about again.
    await().atMost(Duration.ofSeconds(1)).until(() -> get(OTHER).statusCode() == 200 && asked(OTHER) == 2);
    held.complete(principal(HELD));

    assertEquals(200, first.await(5, TimeUnit.SECONDS).statusCode(), "the request it was asked for is served");
    assertEquals(200, get(HELD).statusCode());
    assertEquals(2, asked(HELD), "an answer that may predate the revocation was not cached");
    assertEquals(200, get(HELD).statusCode());
    assertEquals(2, asked(HELD), "the fresh answer is cached as usual");
  }

  @Test
  void aRevocationDropsOnlyTheAccountItNames() throws Exception {
    assertEquals(200, get(OTHER).statusCode());
    assertEquals(200, get(NEIGHBOUR).statusCode());

    Bus.publish(vertx, Endpoints.CREDENTIALS_REVOKED, new CredentialsRevoked(principal(NEIGHBOUR).accountId()));

    await().atMost(Duration.ofSeconds(1)).until(() -> get(NEIGHBOUR).statusCode() == 200 && asked(NEIGHBOUR) == 2);
    assertEquals(200, get(OTHER).statusCode());
    assertEquals(1, asked(OTHER), "another account's revocation left this one's cached");
  }

  private Future<Principal> answer(AuthRequest request) {
    String key = List.of(HELD, OTHER, NEIGHBOUR).stream()
        .filter(candidate -> AuthRequest.keyHash(candidate).equals(request.keyHash())).findFirst().orElseThrow();
    asks.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    Promise<Principal> held = key.equals(HELD) ? heldAnswer.getAndSet(null) : null;
    return held != null ? held.future() : Future.succeededFuture(principal(key));
  }

  private static Principal principal(String subject) {
    return new Principal(subject.equals(NEIGHBOUR) ? "acct-neighbour" : ACCOUNT, subject, List.of(Principal.ALL),
        false);
  }

  private int asked(String key) {
    AtomicInteger count = asks.get(key);
    return count == null ? 0 : count.get();
  }

  private Future<HttpResponse<Buffer>> send(String key) {
    return client.get(server.actualPort(), "127.0.0.1", "/thing").bearerTokenAuthentication(key).send();
  }

  private HttpResponse<Buffer> get(String key) throws Exception {
    return send(key).await(5, TimeUnit.SECONDS);
  }
}
