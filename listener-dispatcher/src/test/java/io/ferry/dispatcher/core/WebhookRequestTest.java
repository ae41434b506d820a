package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.standardwebhooks.Webhook;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebhookRequestTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final ListenerInfo LISTENER = new ListenerInfo("l1", "acct", "q1", "orders", "hook",
      "https://receiver.example/hook", null, SECRET);

  @Test
  void rendersATextBodyAsAStringAndBytesAsBase64() {
    byte[] bytes = {0, 1, (byte) 0xff};
    assertEquals("héllo", data(ContentType.TEXT, "héllo".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Base64.getEncoder().encodeToString(bytes), data(ContentType.BYTES, bytes));
  }

  @Test
  void stringsThatNeedEscapingComeBackAsTheyWere() {
    String awkward = "quote \" backslash \\ tab\t line\n nul\u0000 h\u00e9llo \uD83D\uDE00";
    assertEquals(awkward, data(ContentType.TEXT, awkward.getBytes(StandardCharsets.UTF_8)));
    StoredMessage message = new StoredMessage("m1", "q1", 3, awkward, ContentType.TEXT, new byte[] {'x'}, 1_000,
        1_000);
    ListenerInfo listener = new ListenerInfo("l1", "acct", "q1", awkward, "hook", "https://receiver.example/hook",
        null, SECRET);
    JsonObject body = new JsonObject(WebhookRequest.of(listener, new LeasedMessage(message, "lease", 1),
        WebhookSigner.forSecret(SECRET), 1).body());
    assertEquals(List.of(awkward, awkward), List.of(body.getString("key"), body.getString("queue_name")));
  }

  @Test
  void aJsonBodyIsEmbeddedAsItsValueAfterTheMessagesFieldsInTheirOrder() {
    String stored = "{\"name\":\"h\u00e9llo \\\"q\\\"\",\"n\":[1,2.5,-3e2,12345678901234567890],\"ok\":true,\"none\":null}";
    WebhookRequest request = request(ContentType.JSON, stored.getBytes(StandardCharsets.UTF_8), "k\"1");
    assertEquals("{\"id\":\"m1\",\"queue_id\":\"q1\",\"queue_name\":\"orders\",\"sequence\":3,"
        + "\"key\":\"k\\\"1\",\"timestamp\":\"1970-01-01T00:00:01Z\",\"attempt\":1,\"content_type\":\"json\","
        + "\"data\":" + stored + "}", request.body());
    assertEquals(new JsonObject(stored), new JsonObject(request.body()).getJsonObject("data"));
    assertEquals(List.of(7, "x"), List.of(data(ContentType.JSON, "7".getBytes(StandardCharsets.UTF_8)),
        data(ContentType.JSON, "\"x\"".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void theTimestampIsWrittenAsInstantWritesIt() {
    long now = System.currentTimeMillis();
    long[] samples = {0, 1, 999, 1_000, 1_001, 1_010, 1_100, -1, -999, -1_000, -1_001, now, now - now % 1000,
        253_402_300_799_999L, 253_402_300_800_000L, -62_167_219_200_000L};
    for (long ms : samples) {
      assertEquals(Instant.ofEpochMilli(ms).toString(), WebhookRequest.timestamp(ms), "at " + ms);
    }
    // Within one second and across seconds, in and out of order, as bursts and redeliveries come.
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      long ms = now + random.nextInt(5_000) - 2_500;
      assertEquals(Instant.ofEpochMilli(ms).toString(), WebhookRequest.timestamp(ms), "at " + ms);
    }
  }

  @Test
  void aMessageWithoutKeyHasANullKey() {
    JsonObject body = new JsonObject(request(ContentType.TEXT, "x".getBytes(StandardCharsets.UTF_8), null).body());
    assertEquals(true, body.containsKey("key"));
    assertEquals(null, body.getValue("key"));
    assertEquals("1970-01-01T00:00:01Z", body.getString("timestamp"));
  }

  @Test
  void theSignatureIsTheOneTheReferenceLibraryComputes() throws Exception {
    WebhookRequest request = request(ContentType.JSON, "{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8), "k");
    assertEquals(new Webhook(SECRET).sign(request.webhookId(), request.timestampSeconds(), request.body()),
        request.signature());
    Map<String, List<String>> headers = Map.of(
        "webhook-id", List.of(request.headers().get("webhook-id")),
        "webhook-timestamp", List.of(request.headers().get("webhook-timestamp")),
        "webhook-signature", List.of(request.headers().get("webhook-signature")));
    new Webhook(SECRET).verify(request.body(), headers);
  }

  @Test
  void oneSignerSignsRequestAfterRequestAsTheReferenceDoes() throws Exception {
    WebhookSigner signer = WebhookSigner.forSecret(SECRET);
    Webhook reference = new Webhook(SECRET);
    for (int i = 0; i < 3; i++) {
      String body = "{\"n\":" + i + ",\"s\":\"héllo\"}";
      assertEquals(reference.sign("msg_" + i, 1_700_000_000L + i, body),
          signer.sign("msg_" + i, 1_700_000_000L + i, body.getBytes(StandardCharsets.UTF_8)));
      assertEquals(reference.sign("msg_" + i, 1_700_000_000L + i, body),
          signer.sign("msg_" + i, 1_700_000_000L + i, body));
    }
  }

  @Test
  void anUnusableSecretIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> WebhookSigner.forSecret(null));
    assertThrows(IllegalArgumentException.class, () -> WebhookSigner.forSecret("whsec_"));
    assertThrows(IllegalArgumentException.class, () -> WebhookSigner.forSecret("whsec_%%%"));
  }

  private static Object data(ContentType type, byte[] body) {
    return new JsonObject(request(type, body, "k").body()).getValue("data");
  }

  private static WebhookRequest request(ContentType type, byte[] body, String key) {
    StoredMessage message = new StoredMessage("m1", "q1", 3, key, type, body, 1_000, 1_000);
    return WebhookRequest.of(LISTENER, new LeasedMessage(message, "lease", 1), WebhookSigner.forSecret(SECRET),
        System.currentTimeMillis() / 1000);
  }
}
