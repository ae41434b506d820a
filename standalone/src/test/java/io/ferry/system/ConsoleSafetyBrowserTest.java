package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's admin pages (keys, listeners, audit) and what protects it and its users: the policy, escaping,
 * secrets shown once, files served as built.
 */
class ConsoleSafetyBrowserTest extends ConsoleBrowserFixture {

  private static final String HOSTILE = "<img src=x onerror=\"window.__xss=1\">";

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
  void aKeyCreatedInTheConsoleIsShownOnceAndAuthenticates() throws Exception {
    open("#/keys");
    waitFor(By.id("key-name")).sendKeys("console-made");
    driver.findElement(By.cssSelector("#key-create button[type=submit]")).click();
    String key = waitFor(By.cssSelector("#key-created .secret")).getText();
    assertEquals(200, new HttpJson(key).get(base + "/client/v4/accounts").status());
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-list"),
        "console-made"));
    assertFalse(driver.findElement(By.id("key-list")).getText().contains(key));
    open("#/keys");
    waitFor(By.id("key-list"));
    assertTrue(driver.findElements(By.cssSelector("#key-created .secret")).isEmpty());

    // Disabled from the console, the key no longer authenticates.
    waitFor(By.xpath("//tr[td[@class='key-name' and text()='console-made']]//button[text()='Disable']")).click();
    waitFor(By.xpath("//tr[td[@class='key-name' and text()='console-made']]//button[text()='Enable']"));
    assertEquals(401, new HttpJson(key).get(base + "/client/v4/accounts").status());
  }

  @Test
  void theAuditTrailFiltersByGroup() throws Exception {
    String queue = createQueue("audited");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> http.get(base + "/v1/events?events=queues")
        .object().getJsonArray("events").stream().anyMatch(event -> queue.equals(((JsonObject) event)
            .getString("resource_id"))));
    open("#/audit");
    new Select(waitFor(By.id("audit-group"))).selectByValue("queues");
    driver.findElement(By.cssSelector("#view form button[type=submit]")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), queue));
    assertTrue(driver.findElements(By.cssSelector("#audit tbody td:nth-child(2)")).stream()
        .allMatch(type -> type.getText().startsWith("queue.") || type.getText().startsWith("consumer.")));
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
  void aRotatedListenerSecretIsShownOnce() throws Exception {
    String queue = createQueue("signed");
    HttpJson.Reply created = http.post(base + "/v1/queues/" + queue + "/listeners", new JsonObject()
        .put("name", "ledger").put("notify_url", receiver.hookUrl()).put("liveness_url", receiver.livenessUrl()));
    assertEquals(200, created.status(), created::toString);
    String before = created.object().getJsonObject("listener").getString("secret");

    open("#/queue/" + queue + "/listeners");
    waitFor(By.xpath("//article[contains(@class,'listener')]//button[text()='Rotate secret']")).click();
    driver.switchTo().alert().accept();
    String shown = waitFor(By.cssSelector(".listener .secret")).getText();
    assertTrue(shown.startsWith("whsec_") && !shown.equals(before), shown);
    open("#/queue/" + queue + "/listeners");
    waitFor(By.cssSelector(".listener .listener-name"));
    assertFalse(driver.findElement(By.id("listener-list")).getText().contains(shown));
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
}
