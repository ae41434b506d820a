package io.ferry.system;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.contracts.testkit.DialectAssertions.assertErrorBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The standalone jar as a user starts it: one process, one port, embedded storage. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneIT {

  static final String KEY = "fry_standalone-test-key-0123456789abcdef";
  static final Duration START = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  FerryProcess ferry;

  @BeforeAll
  void start() throws Exception {
    ferry = FerryProcess.start("standalone", "ferry.standalone.jar", dir.resolve("main"), Ports.free(),
        // The flow's webhook receiver listens on loopback, which the SSRF rule refuses unless allowed.
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY, "FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8")).awaitReady(START);
  }

  @AfterAll
  void stop() throws Exception {
    ferry.close();
  }

  @Test
  void skeletonFlowEndToEnd() throws Exception {
    SkeletonFlow.run(SkeletonFlow.Endpoints.single(ferry.baseUrl()), KEY, "skeleton-standalone");
  }

  @Test
  void bannerSaysWhereItListensAndHowToAuthenticate() {
    String out = ferry.output();
    assertTrue(out.contains("Listening on   http://localhost:" + ferry.httpPort()), out);
    assertTrue(out.contains("FERRY_AUTH_BOOTSTRAP_KEY"), out);
    assertTrue(!out.contains(KEY), "a configured key is never echoed:\n" + out);
  }

  @Test
  void operationalEndpointsAreServed() throws Exception {
    HttpJson anonymous = new HttpJson(null);
    assertEquals(200, anonymous.get(ferry.baseUrl() + "/health/live").status());
    HttpJson.Reply ready = anonymous.get(ferry.baseUrl() + "/health/ready");
    assertEquals(200, ready.status(), ready::toString);
    assertEquals("UP", ready.object().getString("status"));
    String metrics = text(ferry.baseUrl() + "/metrics");
    assertTrue(metrics.contains("vertx_http_server_"), metrics.substring(0, Math.min(500, metrics.length())));
    String openapi = text(ferry.baseUrl() + "/openapi.yaml");
    assertTrue(openapi.contains("\"/accounts/{account_id}/queues\""), openapi);
    assertTrue(openapi.contains("\"url\": \"/client/v4\""), openapi);
    assertTrue(openapi.contains("\"/queue/listen/ws/{queue}\""), openapi);
    assertTrue(openapi.contains("\"/v1/queues/{queue_id}/listeners\""), openapi);
    assertTrue(text(ferry.baseUrl() + "/docs").contains("swagger-ui-bundle.js"));
  }

  @Test
  void missingCredentialsAreRefusedInEachDialectsFormat() throws Exception {
    HttpJson anonymous = new HttpJson(null);
    HttpJson.Reply cf = anonymous.get(ferry.baseUrl() + "/client/v4/accounts");
    assertErrorBody(cf.status(), cf.object(), Dialect.CLOUDFLARE, ErrorCode.UNAUTHENTICATED, "");

    HttpJson.Reply discue = anonymous.get(ferry.baseUrl() + "/v1/queues");
    assertErrorBody(discue.status(), discue.object(), Dialect.DISCUE, ErrorCode.UNAUTHENTICATED, "");

    HttpJson.Reply sonya = anonymous.post(ferry.baseUrl() + "/queue/create/abc", null);
    assertErrorBody(sonya.status(), sonya.object(), Dialect.SONYA, ErrorCode.UNAUTHENTICATED, "");
  }

  @Test
  void unknownRoutesAndMethodsAnswerInTheMatchingDialect() throws Exception {
    HttpJson http = new HttpJson(KEY);
    HttpJson.Reply cf = http.get(ferry.baseUrl() + "/client/v4/nothing-here");
    assertErrorBody(cf.status(), cf.object(), Dialect.CLOUDFLARE, ErrorCode.NOT_FOUND, "");
    HttpJson.Reply discue = http.get(ferry.baseUrl() + "/v1/nothing-here");
    assertErrorBody(discue.status(), discue.object(), Dialect.DISCUE, ErrorCode.NOT_FOUND, "");
    HttpJson.Reply wrongMethod = http.send("DELETE", ferry.baseUrl() + "/v1/queues", null);
    assertErrorBody(wrongMethod.status(), wrongMethod.object(), Dialect.DISCUE, ErrorCode.METHOD_NOT_ALLOWED, "");
  }

  @Test
  void malformedJsonIsA400InTheDialectsFormat() throws Exception {
    HttpJson http = new HttpJson(KEY);
    String account = SkeletonFlow.accountId(http, ferry.baseUrl());
    var request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(ferry.baseUrl() + "/client/v4/accounts/" + account + "/queues"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{not json")).build();
    var response = http.client().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertError(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body(),
        Dialect.CLOUDFLARE, ErrorCode.MALFORMED_JSON, "");
    HttpJson.Reply list = http.get(ferry.baseUrl() + "/client/v4/accounts/" + account + "/queues");
    assertTrue(list.object().getJsonArray("result").stream()
        .noneMatch(q -> ((JsonObject) q).getString("queue_name").startsWith("{")), list::toString);
  }

  @Test
  void firstStartGeneratesAKeyShownOnceAndTheDataSurvivesARestart() throws Exception {
    Path data = dir.resolve("fresh");
    int port = Ports.free();
    String key;
    try (FerryProcess first = FerryProcess.start("fresh-1", "ferry.standalone.jar", data, port, Map.of())
        .awaitReady(START)) {
      String out = first.output();
      java.util.regex.Matcher shown = java.util.regex.Pattern.compile("(fry_[A-Za-z0-9_-]{20,})").matcher(out);
      assertTrue(shown.find(), "no bootstrap key printed:\n" + out);
      key = shown.group(1);
      HttpJson http = new HttpJson(key);
      String account = SkeletonFlow.accountId(http, first.baseUrl());
      HttpJson.Reply created = http.post(first.baseUrl() + "/client/v4/accounts/" + account + "/queues",
          new JsonObject().put("queue_name", "kept"));
      assertEquals(200, created.status(), created::toString);
      first.terminate(Duration.ofSeconds(30));
    }
    // Started with the test's umask: the stores (admin's holds the token secret) are private all the same.
    assertEquals(Map.of(), PrivateDataDir.notPrivate(data.resolve("data")), "after a graceful stop");
    try (FerryProcess second = FerryProcess.start("fresh-2", "ferry.standalone.jar", data, port, Map.of())
        .awaitReady(START)) {
      assertTrue(!second.output().contains(key), "the key must be shown only once");
      HttpJson http = new HttpJson(key);
      String account = SkeletonFlow.accountId(http, second.baseUrl());
      HttpJson.Reply list = http.get(second.baseUrl() + "/client/v4/accounts/" + account + "/queues");
      assertEquals("kept", list.object().getJsonArray("result").getJsonObject(0).getString("queue_name"));
      assertEquals(Map.of(), PrivateDataDir.notPrivate(data.resolve("data")), "while running");
    }
  }

  @Test
  void sigtermStopsGracefullyAndJsonLogsAreOneObjectPerLine() throws Exception {
    try (FerryProcess other = FerryProcess.start("sigterm", "ferry.standalone.jar", dir.resolve("sigterm"),
        Ports.free(), Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY, "FERRY_LOG_FORMAT", "json")).awaitReady(START)) {
      other.terminate(Duration.ofSeconds(30));
      String out = other.output();
      List<JsonObject> events = out.lines().filter(line -> line.startsWith("{")).map(JsonObject::new).toList();
      assertTrue(events.stream().anyMatch(e -> e.getString("message", "").contains("Listening on")), out);
      assertTrue(events.stream().anyMatch(e -> e.getString("message", "").contains("shutdown requested")), out);
      assertTrue(events.stream().allMatch(e -> "ferry".equals(e.getString("service.name"))), out);
      assertTrue(out.lines().noneMatch(line -> line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")),
          "no plain-text log lines in json mode:\n" + out);
    }
  }

  @Test
  void invalidConfigurationFailsStartupNamingTheKey() throws Exception {
    Path work = dir.resolve("badconfig");
    try (FerryProcess bad = FerryProcess.start("badconfig", "ferry.standalone.jar", work, Ports.free(),
        Map.of("FERRY_STORAGE_KIND", "floppy"))) {
      assertEquals(2, bad.awaitExit(Duration.ofSeconds(30)), bad.output());
      assertTrue(bad.output().contains(
          "storage.kind (FERRY_STORAGE_KIND) must be one of [rocksdb, postgres], got 'floppy'"), bad.output());
    }
    Files.writeString(work.resolve("ferry.json"), "{\"http\": {\"prot\": 1}}");
    try (FerryProcess typo = FerryProcess.start("typo", "ferry.standalone.jar", work, Ports.free(),
        Map.of("FERRY_CONFIG_FILE", work.resolve("ferry.json").toString()))) {
      assertEquals(2, typo.awaitExit(Duration.ofSeconds(30)), typo.output());
      assertTrue(typo.output().contains("unknown keys in config file: [http.prot]"), typo.output());
    }
  }

  // HTTP/1.1 and a deadline: the JDK client's default h2c upgrade once hung here forever (see HttpJson).
  private static String text(String url) throws Exception {
    var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .timeout(java.time.Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }
}
