package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Queues and messages in the console: numbers, browsing, sending, live tail, purge, pause, phone width. */
class ConsoleQueuesBrowserTest extends ConsoleBrowserFixture {

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
    // Live: a message pushed meanwhile shows without a reload.
    push(queue, new JsonObject().put("n", 4));
    wait(Duration.ofSeconds(15)).until(ExpectedConditions.textToBe(cell, "4"));

    // Sorting is a button in the column's heading, so the keyboard works it too.
    WebElement byBacklog = driver.findElement(By.cssSelector("button.sort[data-key=backlog]"));
    byBacklog.sendKeys(Keys.ENTER);
    wait(Duration.ofSeconds(5)).until(ExpectedConditions.attributeToBe(byBacklog, "aria-pressed", "true"));
    List<Long> backlogs = driver.findElements(By.cssSelector("#queues tbody .backlog")).stream()
        .map(shown -> Long.parseLong(shown.getText())).toList();
    assertEquals(backlogs.stream().sorted(Comparator.reverseOrder()).toList(), backlogs, "largest backlog first");

    // The filter keeps the rows whose name contains what is typed.
    waitFor(By.cssSelector("input[type=search]")).sendKeys("returns-");
    wait(Duration.ofSeconds(5)).until(ExpectedConditions.invisibilityOfElementLocated(cell));
    waitFor(By.cssSelector("tr[data-queue-id='" + other + "']"));
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
  void aBinaryMessageOpensAsHexAndBase64() throws Exception {
    String queue = createQueue("binary");
    assertEquals(200, http.post(cf + "/queues/" + queue + "/messages", new JsonObject()
        .put("body", "AAEC/w==").put("content_type", "bytes")).status());
    open("#/queue/" + queue + "/messages");
    waitFor(By.cssSelector("#message-list button.open")).click();
    WebElement shown = waitFor(By.cssSelector("#message-detail pre[data-type=bytes]"));
    assertEquals("000000  00 01 02 ff", shown.getText());
    driver.findElement(By.xpath("//section[@id='message-detail']//button[text()='Show base64']")).click();
    wait(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(
        By.cssSelector("#message-detail pre[data-type=bytes]"), "AAEC/w=="));
  }

  @Test
  void aPulledMessageIsAckedFromTheBrowser() throws Exception {
    String queue = createQueue("leased");
    assertEquals(200, http.post(cf + "/queues/" + queue + "/consumers", new JsonObject().put("type", "http_pull"))
        .status());
    push(queue, new JsonObject().put("n", 1));
    open("#/queue/" + queue + "/messages");
    waitFor(By.id("pull")).click();
    waitFor(By.cssSelector("#message-list button.settle")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.cssSelector("#message-list .settled"),
        "acked"));
    assertEquals(0, http.get(cf + "/queues/" + queue + "/metrics").result().getLong("backlog_count"));
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
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#view h1"),
        name));
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

    // Paused, a message arrives; resuming for the whole queue continues after the last one shown, over the
    // WebSocket too (with a queue-wide listen token), and follows what is pushed next under any id.
    driver.findElement(By.id("tail-pause")).click();
    wait(Duration.ofSeconds(5)).until(ExpectedConditions.attributeToBe(By.id("tail-from"), "value",
        Long.toString(sequence + 1)));
    push(queue, new JsonObject().put("step", "shipped"));
    driver.findElement(By.id("tail-id")).clear();
    driver.findElement(By.id("tail-start")).click();
    waitFor(By.cssSelector("#tail-lines li[data-sequence='" + (sequence + 1) + "']"));
    assertTrue(driver.findElement(By.id("tail-lines")).getText().contains("{\"step\":\"shipped\"}"));
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("tail-status"),
        "Following the whole queue over the WebSocket"));

    HttpJson.Reply other = http.post(base + "/queue/send/" + name, new JsonObject().put("id", "order-8")
        .put("payload", new JsonObject().put("step", "returned")));
    assertEquals(200, other.status(), other::toString);
    long otherSequence = other.object().getLong("sequence");
    waitFor(By.cssSelector("#tail-lines li[data-sequence='" + otherSequence + "']"));
    assertTrue(driver.findElement(By.id("tail-lines")).getText().contains("order-8 {\"step\":\"returned\"}"),
        driver.findElement(By.id("tail-lines")).getText());
    assertEquals("Following the whole queue over the WebSocket", driver.findElement(By.id("tail-status")).getText());
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
  void deliveryPausesAndResumesFromTheQueuePage() throws Exception {
    String queue = createQueue("pausable");
    open("#/queue/" + queue);
    waitFor(By.id("pause")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("pause"), "Resume delivery"));
    assertTrue(http.get(cf + "/queues/" + queue).result().getJsonObject("settings").getBoolean("delivery_paused"));
    driver.findElement(By.id("pause")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("pause"), "Pause delivery"));
    assertFalse(http.get(cf + "/queues/" + queue).result().getJsonObject("settings").getBoolean("delivery_paused"));

    // Saving settings changes what was edited and keeps the rest (PATCH).
    WebElement delay = driver.findElement(By.id("delivery-delay"));
    delay.clear();
    delay.sendKeys("5");
    driver.findElement(By.cssSelector("#settings button[type=submit]")).click();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> http.get(cf + "/queues/" + queue).result()
        .getJsonObject("settings").getInteger("delivery_delay") == 5);
    assertEquals(345600, http.get(cf + "/queues/" + queue).result().getJsonObject("settings")
        .getInteger("message_retention_period"));
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
}
