package io.ferry.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.dispatcher.DispatcherConfigs;
import io.ferry.contracts.net.AddressPolicy;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.dispatcher.core.DeliveryOutcome;
import io.ferry.dispatcher.core.HostResolver;
import io.ferry.dispatcher.core.TargetVetting;
import io.ferry.dispatcher.core.WebhookRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTPS to a vetted address: the URL's host still drives SNI and certificate verification. */
class WebhookSenderTest {

  private static final DispatcherConfig CONFIG = DispatcherConfigs.of(new JsonObject()
      .put("dispatcher.request-timeout-ms", 5_000)
      .put("dispatcher.max-in-flight-per-listener", 4)
      .put("dispatcher.response-body-cap-bytes", 1024)
      .put("webhooks.allow-list", new JsonArray().add("127.0.0.0/8")));

  private static Vertx vertx;
  private static SelfSignedCertificate certificate;
  private static HttpServer server;
  private static final List<String> serverNames = new CopyOnWriteArrayList<>();
  private WebhookSender sender;

  /** Once per class: generating the key pair is slow on a busy machine. */
  @BeforeAll
  static void startHttpsReceiver() throws Exception {
    vertx = Vertx.vertx();
    certificate = SelfSignedCertificate.create("hooks.example");
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
            .setKeyCertOptions(certificate.keyCertOptions()))
        .requestHandler(request -> {
          serverNames.add(String.valueOf(request.connection().indicatedServerName()));
          request.response().setStatusCode(request.path().equals("/moved") ? 301 : 204)
              .putHeader("Location", "/hook").end();
        });
    await(server.listen(0, "127.0.0.1"));
  }

  @BeforeEach
  void createSender() throws Exception {
    serverNames.clear();
    // Every name resolves to the local receiver, as if DNS pointed there.
    InetAddress local = InetAddress.getByName("127.0.0.1");
    HostResolver resolver = host -> Future.succeededFuture(List.of(local));
    sender = WebhookSender.create(vertx, CONFIG,
        new TargetVetting(AddressPolicy.create(CONFIG.webhooks().allowList()), resolver),
        certificate.trustOptions());
  }

  @AfterEach
  void closeSender() throws Exception {
    await(sender.close());
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
    certificate.delete();
  }

  @Test
  void theUrlsHostIsTheTlsServerNameAndIsVerifiedAgainstTheCertificate() throws Exception {
    DeliveryOutcome outcome = await(sender.send(request("https://hooks.example:" + server.actualPort() + "/hook")));

    assertTrue(outcome.delivered(), outcome::toString);
    assertEquals(List.of("hooks.example"), serverNames);
  }

  @Test
  void aCertificateForAnotherNameFailsTheAttempt() throws Exception {
    DeliveryOutcome outcome = await(sender.send(request("https://other.example:" + server.actualPort() + "/hook")));

    assertFalse(outcome.delivered());
    assertEquals(0, outcome.statusCode(), outcome::toString);
  }

  @Test
  void aLivenessProbeSucceedsOn2xxAndDoesNotFollowRedirects() throws Exception {
    String base = "https://hooks.example:" + server.actualPort();
    assertTrue(await(sender.probe(base + "/live", 2_000)).delivered());
    DeliveryOutcome moved = await(sender.probe(base + "/moved", 2_000));
    assertFalse(moved.delivered());
    assertEquals(301, moved.statusCode());
    assertEquals(2, serverNames.size(), "the redirect was followed");
  }

  private static WebhookRequest request(String url) {
    return new WebhookRequest(url, "msg_1", 1_700_000_000L, Buffer.buffer("{}"), "v1,unused");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
