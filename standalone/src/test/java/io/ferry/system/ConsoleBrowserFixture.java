package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (headless Chromium, {@link HeadlessChromium}) against a real in-process
 * Ferry (admin, messaging, dispatcher and gateway on one port), signed in once per test class: what a person
 * sees matches what the API says, what they do there reaches the API, and values from the API are shown as
 * text. Helpers for the test classes that extend it.
 */
abstract class ConsoleBrowserFixture {

  static final String KEY = "console-test-bootstrap-key-0123456789";

  private static Path dataDir;
  private static FerryNode node;
  static WebhookReceiver receiver;
  static HeadlessChromium browser;
  static ChromeDriver driver;
  static String base;
  static String cf;
  static final HttpJson http = new HttpJson(KEY);

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

  // A fresh document each time (a hash change alone would keep the previous page's elements around for a
  // moment); session storage, and so the sign-in, lasts as long as the tab.
  static void open(String hash) {
    driver.get("about:blank");
    driver.get(base + "/console/" + hash);
    waitFor(By.cssSelector("#view .page"));
  }

  static HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return http.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static WebElement waitFor(By locator) {
    return wait(Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  static WebDriverWait wait(Duration timeout) {
    return new WebDriverWait(driver, timeout);
  }

  static String createQueue(String prefix) throws Exception {
    return createQueueNamed(prefix + "-" + System.nanoTime());
  }

  static String createQueueNamed(String name) throws Exception {
    HttpJson.Reply created = http.post(cf + "/queues", new JsonObject().put("queue_name", name));
    assertEquals(200, created.status(), created::toString);
    return created.result().getString("queue_id");
  }

  static void push(String queue, JsonObject... bodies) throws Exception {
    JsonArray messages = new JsonArray();
    for (JsonObject body : bodies) {
      messages.add(new JsonObject().put("body", body));
    }
    HttpJson.Reply pushed = http.post(cf + "/queues/" + queue + "/messages/batch",
        new JsonObject().put("messages", messages));
    assertEquals(200, pushed.status(), pushed::toString);
  }
}
