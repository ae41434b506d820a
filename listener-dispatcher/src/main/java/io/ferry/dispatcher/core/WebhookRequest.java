package io.ferry.dispatcher.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * One signed delivery attempt of a message to a listener's {@code notify_url}, ready to send: the JSON body
 * exactly as signed and the Standard Webhooks headers.
 */
public record WebhookRequest(String url, String webhookId, long timestampSeconds, Buffer payload,
    String signature) {

  public static final String HEADER_ID = "webhook-id";
  public static final String HEADER_TIMESTAMP = "webhook-timestamp";
  public static final String HEADER_SIGNATURE = "webhook-signature";
  private static final JsonFactory JSON = JsonFactory.builder().build();
  // Instant.toString per body was 0.4-1 % of Ferry's CPU delivering webhooks; the messages of a burst share
  // their second, so its text (without the 'Z') is kept and only the milliseconds are written.
  private static volatile SecondText latestSecond = new SecondText(Long.MIN_VALUE, "");

  private record SecondText(long epochSecond, String text) {
  }

  /** Builds the attempt {@code leased.attempts()} of a leased message, signed at {@code nowSeconds}. */
  public static WebhookRequest of(ListenerInfo listener, LeasedMessage leased, WebhookSigner signer,
      long nowSeconds) {
    StoredMessage message = leased.message();
    byte[] body = body(listener, leased);
    // Encoded once: the same bytes are signed and sent.
    return new WebhookRequest(listener.notifyUrl(), message.id(), nowSeconds, Buffer.buffer(body),
        signer.sign(message.id(), nowSeconds, body));
  }

  // Written straight to bytes: building a JsonObject, and decoding a JSON message body only to encode it again
  // inside it, was a fifth of the dispatcher loop's time. A json body is stored as valid, compact JSON (checked
  // when it was pushed), so it is embedded as it is.
  private static byte[] body(ListenerInfo listener, LeasedMessage leased) {
    StoredMessage message = leased.message();
    try (ByteArrayBuilder bytes = new ByteArrayBuilder(256 + message.body().length);
        JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("id", message.id());
      json.writeStringField("queue_id", message.queueId());
      json.writeStringField("queue_name", listener.queueName());
      json.writeNumberField("sequence", message.sequence());
      json.writeStringField("key", message.key());
      json.writeStringField("timestamp", timestamp(message.timestampMs()));
      json.writeNumberField("attempt", leased.attempts());
      json.writeStringField("content_type", message.contentType().wireName());
      json.writeFieldName("data");
      switch (message.contentType()) {
        case JSON -> json.writeRawValue(new String(message.body(), StandardCharsets.UTF_8));
        case TEXT -> json.writeString(new String(message.body(), StandardCharsets.UTF_8));
        case BYTES, V8 -> json.writeString(Base64.getEncoder().encodeToString(message.body()));
      }
      json.writeEndObject();
      json.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code Instant.ofEpochMilli(epochMs).toString()}, with the text of the latest second kept. */
  static String timestamp(long epochMs) {
    long second = Math.floorDiv(epochMs, 1000);
    int millis = (int) Math.floorMod(epochMs, 1000);
    SecondText cached = latestSecond;
    if (cached.epochSecond() != second) {
      String whole = Instant.ofEpochSecond(second).toString();
      cached = new SecondText(second, whole.substring(0, whole.length() - 1));
      latestSecond = cached;
    }
    if (millis == 0) {
      return cached.text() + 'Z';
    }
    return cached.text() + '.' + (char) ('0' + millis / 100) + (char) ('0' + millis / 10 % 10)
        + (char) ('0' + millis % 10) + 'Z';
  }

  /** The JSON body as text, exactly as signed. */
  public String body() {
    return payload.toString(StandardCharsets.UTF_8);
  }

  public Map<String, String> headers() {
    return Map.of(
        "Content-Type", "application/json",
        HEADER_ID, webhookId,
        HEADER_TIMESTAMP, Long.toString(timestampSeconds),
        HEADER_SIGNATURE, signature);
  }
}
