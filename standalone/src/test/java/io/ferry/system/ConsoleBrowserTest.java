package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.AdminModule;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.WebhookReceiver;
import io.ferry.dispatcher.DispatcherModule;
import io.ferry.gateway.GatewayModule;
import io.ferry.messaging.MessagingModule;
import io.ferry.standalone.StandaloneConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (headless Chromium) against a real in-process Ferry (admin, messaging,
 * dispatcher and gateway on one port): what a person sees matches what the API says, what they do there
 * reaches the API, and values from the API are shown as text.
 */
class ConsoleBrowserTest {

  private static final String KEY = "console-test-bootstrap-key-0123456789";
  private static final String HOSTILE = "<img src=x onerror=\"window.__xss=1\">";

  private static Path dataDir;
  private static FerryNode node;
  private static WebhookReceiver receiver;
  private static HeadlessChromium browser;
  private static ChromeDriver driver;
  private static String base;
  private static String cf;
  private static final HttpJson http = new HttpJson(KEY);

  @BeforeAll
  static void start() throws Exception {
    browser = HeadlessChromium.start(1280, 900);
    driver = browser.driver();
    dataDir = Files.createTempDirectory("ferry-console-");
    StandaloneConfig config = StandaloneConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("storage.data-dir"), dataDir.toString(),
        ConfigReader.envName("auth.bootstrap-key"), KEY,
        ConfigReader.envName("webhooks.allow-list"), "127.0.0.0/8")));
    node = Futures.await(FerryNode.startLocal("Ferry console test", config.node(), List.of(
        AdminModule.create(config.admin()), MessagingModule.create(config.messaging()),
        DispatcherModule.create(config.dispatcher()), GatewayModule.create(config.gateway()))),
        Duration.ofSeconds(60));
    base = "http://127.0.0.1:" + node.httpPort();
    cf = base + "/client/v4/accounts/" + SkeletonFlow.accountId(http, base);
    receiver = WebhookReceiver.started();
    signIn();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (node != null) {
      Futures.await(node.stop(), Duration.ofSeconds(30));
    }
    if (dataDir != null) {
      try (var paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  // The root redirects to the console; the key goes into the form, and from there into session storage only.
  private static void signIn() {
    driver.get(base + "/");
    WebElement key = waitFor(By.id("sign-in-key"));
    assertEquals(base + "/console/", driver.getCurrentUrl().replaceAll("#.*", ""));
    key.sendKeys(KEY);
    driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    assertEquals(KEY, driver.executeScript("return sessionStorage.getItem('ferry.console.key')"));
    assertFalse(driver.getCurrentUrl().contains(KEY));
    assertTrue(driver.manage().getCookies().isEmpty(), "the console sets no cookie");
  }

  @Test
  void overviewShowsTheBacklogTheApiReports() throws Exception {
    String queue = createQueue("orders");
    push(queue, new JsonObject().put("n", 1), new JsonObject().put("n", 2), new JsonObject().put("n", 3));
    long backlog = http.get(cf + "/queues/" + queue + "/metrics").result().getLong("backlog_count");
    assertEquals(3, backlog);

    String other = createQueue("returns");
    open("#/");
    By cell = By.cssSelector("tr[data-queue-id='" + queue + "'] .backlog");
    wait(Duration.ofSeconds(15)).until(ExpectedConditions.textToBe(cell, Long.toString(backlog)));
    browser.screenshot("overview");

    // The filter keeps the rows whose name contains what is typed.
    waitFor(By.cssSelector("input[type=search]")).sendKeys("returns-");
    wait(Duration.ofSeconds(5)).until(ExpectedConditions.invisibilityOfElementLocated(cell));
    waitFor(By.cssSelector("tr[data-queue-id='" + other + "']"));
  }

  @Test
  void chartsDrawWithTheBundledChartLibraryUnderThePolicy() {
    open("#/");
    Object drawn = driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import('/console/views/chart.js').then(charts => {
          const box = document.createElement('div');
          document.body.append(box);
          const now = Date.now();
          const points = [0, 1, 2].map(i => ({ timestamp_ms: now - (2 - i) * 10000, backlog_count: i * 5,
            leased_count: i }));
          charts.chart(box, 'Backlog', ['messages', 'in flight'], { resolution_seconds: 10, points },
            [p => p.backlog_count, p => p.leased_count]);
          done(box.querySelectorAll('canvas').length + ' ' + box.querySelector('.u-title').textContent);
        }, error => done('failed: ' + error));
        """);
    assertEquals("1 Backlog", drawn);
  }

  @Test
  void aMessageOpensWithItsJsonBodyPrettyPrinted() throws Exception {
    String queue = createQueue("invoices");
    JsonObject body = new JsonObject().put("invoice", new JsonObject().put("id", 42).put("lines", new JsonArray()
        .add("paper").add("ink")));
    push(queue, body);
    String id = http.post(cf + "/queues/" + queue + "/messages/peek", new JsonObject().put("batch_size", 1))
        .result().getJsonArray("messages").getJsonObject(0).getString("id");

    open("#/queue/" + queue + "/messages");
    waitFor(By.cssSelector("tr[data-message-id='" + id + "'] button.open")).click();
    WebElement shown = waitFor(By.cssSelector("#message-detail pre[data-type=json]"));
    assertEquals(body, new JsonObject(shown.getText()));
    assertTrue(shown.getText().contains("\n  \"invoice\": {\n    \"id\": 42,"), shown.getText());
    browser.screenshot("message-browser");
  }

  @Test
  void aMessageSentFromTheConsoleGrowsTheBacklog() throws Exception {
    String queue = createQueue("signups");
    open("#/queue/" + queue);
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("backlog"), "0"));

    open("#/queue/" + queue + "/messages");
    WebElement text = waitFor(By.id("send-body"));
    text.clear();
    text.sendKeys("{\"user\": \"ada\"}");
    driver.findElement(By.cssSelector("#send button[type=submit]")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-status"),
        "Sent"));
    assertEquals(1, http.get(cf + "/queues/" + queue + "/metrics").result().getLong("backlog_count"));

    open("#/queue/" + queue);
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("backlog"), "1"));
    browser.screenshot("queue");
  }

  @Test
  void theLiveTailShowsPushedMessagesAndResumesAfterAPause() throws Exception {
    String name = "tail-" + System.nanoTime();
    String queue = createQueueNamed(name);
    open("#/queue/" + queue + "/tail");
    WebElement id = waitFor(By.id("tail-id"));
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#view h1"), name));
    id.sendKeys("order-7");
    driver.findElement(By.id("tail-start")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("tail-status"),
        "over the WebSocket"));

    HttpJson.Reply sent = http.post(base + "/queue/send/" + name, new JsonObject().put("id", "order-7")
        .put("payload", new JsonObject().put("step", "packed")));
    assertEquals(200, sent.status(), sent::toString);
    long sequence = sent.object().getLong("sequence");
    waitFor(By.cssSelector("#tail-lines li[data-sequence='" + sequence + "']"));
    assertTrue(driver.findElement(By.id("tail-lines")).getText().contains("{\"step\":\"packed\"}"));
    browser.screenshot("live-tail");

    // Paused, a message arrives; resuming for the whole queue continues after the last one shown.
    driver.findElement(By.id("tail-pause")).click();
    wait(Duration.ofSeconds(5)).until(ExpectedConditions.attributeToBe(By.id("tail-from"), "value",
        Long.toString(sequence + 1)));
    push(queue, new JsonObject().put("step", "shipped"));
    driver.findElement(By.id("tail-id")).clear();
    driver.findElement(By.id("tail-start")).click();
    waitFor(By.cssSelector("#tail-lines li[data-sequence='" + (sequence + 1) + "']"));
    assertTrue(driver.findElement(By.id("tail-lines")).getText().contains("{\"step\":\"shipped\"}"));
    driver.findElement(By.id("tail-pause")).click();
  }

  @Test
  void purgeAsksForTheQueueNameFirst() throws Exception {
    String name = "purge-" + System.nanoTime();
    String queue = createQueueNamed(name);
    push(queue, new JsonObject().put("n", 1), new JsonObject().put("n", 2));
    open("#/queue/" + queue);
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("backlog"), "2"));
    WebElement purge = waitFor(By.id("purge"));
    WebElement confirm = driver.findElement(By.id("purge-confirm"));
    assertFalse(purge.isEnabled());
    confirm.sendKeys("not-" + name);
    assertFalse(purge.isEnabled());
    confirm.clear();
    confirm.sendKeys(name);
    wait(Duration.ofSeconds(5)).until(ExpectedConditions.elementToBeClickable(purge)).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("purge-status"), "Purged"));
    assertEquals(0, http.get(cf + "/queues/" + queue + "/metrics").result().getLong("backlog_count"));
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("backlog"), "0"));
  }

  @Test
  void theConsoleForbidsInlineScriptAndOtherOrigins() throws Exception {
    HttpResponse<String> page = http.client().send(HttpRequest.newBuilder(URI.create(base + "/console/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(policy.contains("default-src 'self'") && policy.contains("script-src 'self';"), policy);
    assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval") || policy.contains("http"), policy);
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
    HttpResponse<String> root = http.client().send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(302, root.statusCode());
    assertEquals("/console/", root.headers().firstValue("Location").orElse(""));
    HttpResponse<String> chartLibrary = http.client().send(HttpRequest.newBuilder(
        URI.create(base + "/console/vendor/uPlot.esm.js")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, chartLibrary.statusCode());
    assertTrue(chartLibrary.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));

    open("#/");
    Object violated = driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        document.addEventListener('securitypolicyviolation', e => done(e.violatedDirective), { once: true });
        const inline = document.createElement('script');
        inline.textContent = 'window.__inlineRan = true';
        document.body.append(inline);
        """);
    assertTrue(String.valueOf(violated).startsWith("script-src"), String.valueOf(violated));
    assertNull(driver.executeScript("return window.__inlineRan"));
  }

  @Test
  void consoleFilesComeFromTheJarWithTypesAndValidators() throws Exception {
    HttpResponse<String> app = get("/console/app.js", null);
    assertEquals(200, app.statusCode());
    assertEquals("text/javascript; charset=utf-8", app.headers().firstValue("Content-Type").orElse(""));
    assertEquals("no-cache", app.headers().firstValue("Cache-Control").orElse(""));
    String etag = app.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, get("/console/app.js", etag).statusCode());
    HttpResponse<String> css = get("/console/vendor/uPlot.min.css", null);
    assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElse(""));
    assertTrue(css.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
    assertEquals(404, get("/console/missing.js", null).statusCode());
    assertEquals(404, get("/console/views/..%2Fapi.js", null).statusCode());
    assertEquals(404, get("/console/vendor/package.json", null).statusCode());
  }

  @Test
  void deliveryPausesAndResumesFromTheQueuePage() throws Exception {
    String queue = createQueue("pausable");
    open("#/queue/" + queue);
    waitFor(By.id("pause")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("pause"), "Resume delivery"));
    assertTrue(http.get(cf + "/queues/" + queue).result().getJsonObject("settings").getBoolean("delivery_paused"));
    driver.findElement(By.id("pause")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("pause"), "Pause delivery"));
    assertFalse(http.get(cf + "/queues/" + queue).result().getJsonObject("settings").getBoolean("delivery_paused"));
  }

  @Test
  void aKeyCreatedInTheConsoleIsShownOnceAndAuthenticates() throws Exception {
    open("#/keys");
    waitFor(By.id("key-name")).sendKeys("console-made");
    driver.findElement(By.cssSelector("#key-create button[type=submit]")).click();
    String key = waitFor(By.cssSelector("#key-created .secret")).getText();
    assertEquals(200, new HttpJson(key).get(base + "/client/v4/accounts").status());
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-list"),
        "console-made"));
    assertFalse(driver.findElement(By.id("key-list")).getText().contains(key));
    open("#/");
    open("#/keys");
    waitFor(By.id("key-list"));
    assertTrue(driver.findElements(By.cssSelector("#key-created .secret")).isEmpty());
  }

  @Test
  void pagesFitAPhoneWidthScreen() throws Exception {
    String queue = createQueue("phone");
    driver.manage().window().setSize(new Dimension(390, 844));
    try {
      for (String page : List.of("#/", "#/queue/" + queue, "#/queue/" + queue + "/messages", "#/keys")) {
        open(page);
        waitFor(By.cssSelector("#view h1"));
        Object overflow = driver.executeScript(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0L, overflow, page + " is wider than the screen");
      }
      open("#/");
      waitFor(By.cssSelector("tr[data-queue-id='" + queue + "']"));
      browser.screenshot("overview-phone");
    } finally {
      driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  void theQueuePageGraphsTheQueuesHistory() throws Exception {
    String queue = createQueue("graphed");
    String history = cf + "/queues/" + queue + "/metrics/history?minutes=60";
    HttpJson.Reply probe = http.get(history);
    Assumptions.assumeTrue(probe.status() == 200, "this server keeps no queue history: " + probe);
    push(queue, new JsonObject().put("n", 1), new JsonObject().put("n", 2));
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> !http.get(history).result().getJsonArray("points").isEmpty());

    open("#/queue/" + queue);
    wait(Duration.ofSeconds(15)).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".chart canvas"), 2));
    browser.screenshot("queue-graphs");
  }

  @Test
  void aListenersFailedAttemptShowsItsStatusCode() throws Exception {
    try (WebhookReceiver failing = WebhookReceiver.started()) {
      failing.respond(WebhookReceiver.HOOK, request -> request.response().setStatusCode(503).end("busy"));
      String queue = createQueue("hooked");
      HttpJson.Reply created = http.post(base + "/v1/queues/" + queue + "/listeners", new JsonObject()
          .put("name", "billing").put("notify_url", failing.hookUrl()).put("liveness_url", failing.livenessUrl()));
      assertEquals(200, created.status(), created::toString);
      String attempts = base + "/v1/queues/" + queue + "/listeners/"
          + created.object().getJsonObject("listener").getString("id") + "/attempts";
      HttpJson.Reply probe = http.get(attempts);
      Assumptions.assumeTrue(probe.status() == 200, "this server keeps no attempt log: " + probe);
      push(queue, new JsonObject().put("invoice", 7));
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> !http.get(attempts).object().getJsonArray("attempts").isEmpty());

      open("#/queue/" + queue + "/listeners");
      waitFor(By.cssSelector(".listener button.show-attempts")).click();
      WebElement status = waitFor(By.cssSelector(".listener tr.attempt td.status-code"));
      assertEquals("503", status.getText());
      browser.screenshot("listener-attempts");
    }
  }

  @Test
  void valuesFromTheApiAreShownAsText() throws Exception {
    String queue = createQueue("hostile");
    assertEquals(200, http.post(cf + "/queues/" + queue + "/messages", new JsonObject().put("body", HOSTILE)
        .put("content_type", "text")).status());
    HttpJson.Reply listener = http.post(base + "/v1/queues/" + queue + "/listeners", new JsonObject()
        .put("name", HOSTILE).put("notify_url", receiver.hookUrl()).put("liveness_url", receiver.livenessUrl()));
    assertEquals(200, listener.status(), listener::toString);
    HttpJson.Reply key = http.post(base + "/v1/api_keys", new JsonObject().put("name", HOSTILE)
        .put("scopes", new JsonArray().add("queues:read:*")));
    assertEquals(200, key.status(), key::toString);

    open("#/queue/" + queue + "/messages");
    waitFor(By.cssSelector("#message-list button.open")).click();
    assertEquals(HOSTILE, waitFor(By.cssSelector("#message-detail pre[data-type=text]")).getText());
    assertNothingInjected();
    open("#/queue/" + queue + "/listeners");
    assertEquals(HOSTILE, waitFor(By.cssSelector(".listener .listener-name")).getText());
    assertNothingInjected();
    open("#/keys");
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-list"),
        HOSTILE));
    assertNothingInjected();
    // The audit trail shows the listener's name inside its event's payload (as JSON, so its quotes escaped).
    open("#/audit");
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"),
        "\"listener_name\":\"<img src=x onerror="));
    assertNothingInjected();
  }

  private static void assertNothingInjected() {
    assertEquals(0L, driver.executeScript("return document.querySelectorAll('img').length"));
    assertNull(driver.executeScript("return window.__xss"));
  }

  // A fresh document each time (a hash change alone would keep the previous page's elements around for a
  // moment); session storage, and so the sign-in, lasts as long as the tab.
  private static void open(String hash) {
    driver.get("about:blank");
    driver.get(base + "/console/" + hash);
    waitFor(By.cssSelector("#view .page"));
  }

  private static HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return http.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static WebElement waitFor(By locator) {
    return wait(Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  private static WebDriverWait wait(Duration timeout) {
    return new WebDriverWait(driver, timeout);
  }

  private static String createQueue(String prefix) throws Exception {
    return createQueueNamed(prefix + "-" + System.nanoTime());
  }

  private static String createQueueNamed(String name) throws Exception {
    HttpJson.Reply created = http.post(cf + "/queues", new JsonObject().put("queue_name", name));
    assertEquals(200, created.status(), created::toString);
    return created.result().getString("queue_id");
  }

  private static void push(String queue, JsonObject... bodies) throws Exception {
    JsonArray messages = new JsonArray();
    for (JsonObject body : bodies) {
      messages.add(new JsonObject().put("body", body));
    }
    HttpJson.Reply pushed = http.post(cf + "/queues/" + queue + "/messages/batch",
        new JsonObject().put("messages", messages));
    assertEquals(200, pushed.status(), pushed::toString);
  }
}
