package io.ferry.dispatcher.core;

import static io.ferry.contracts.model.JsonBytes.appendLong;
import static io.ferry.contracts.model.JsonBytes.appendString;
import static io.ferry.contracts.model.JsonBytes.ascii;

import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.buffer.Buffer;
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
  private static final byte[] ID = ascii("{\"id\":");
  private static final byte[] QUEUE_ID = ascii(",\"queue_id\":");
  private static final byte[] QUEUE_NAME = ascii(",\"queue_name\":");
  private static final byte[] SEQUENCE = ascii(",\"sequence\":");
  private static final byte[] KEY = ascii(",\"key\":");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
  private static final byte[] ATTEMPT = ascii(",\"attempt\":");
  private static final byte[] CONTENT_TYPE = ascii(",\"content_type\":");
  private static final byte[] DATA = ascii(",\"data\":");
  // Field names, a 32-character id and queue id, a queue name, numbers and the timestamp.
  private static final int BODY_OVERHEAD = 320;
  // Instant.toString per body was 0.4-1 % of Ferry's CPU delivering webhooks; the messages of a burst share
  // their second, so its text (without the 'Z') is kept and only the milliseconds are written.
  private static volatile SecondText latestSecond = new SecondText(Long.MIN_VALUE, "");

  private record SecondText(long epochSecond, String text) {
  }

  /** Builds the attempt {@code leased.attempts()} of a leased message, signed at {@code nowSeconds}. */
  public static WebhookRequest of(ListenerInfo listener, LeasedMessage leased, WebhookSigner signer,
      long nowSeconds) {
    StoredMessage message = leased.message();
    Buffer body = body(listener, leased);
    // Encoded once: the same bytes are signed and sent.
    return new WebhookRequest(listener.notifyUrl(), message.id(), nowSeconds, body,
        signer.sign(message.id(), nowSeconds, body.getBytes()));
  }

  // Written straight to bytes: building a JsonObject, and decoding a JSON message body only to encode it again
  // inside it, was a fifth of the dispatcher loop's time, and a Jackson generator per body was still 3-4 % of
  // Ferry's CPU delivering webhooks. A json body is stored as valid, compact JSON (checked when it was pushed),
  // so it is embedded as it is.
  private static Buffer body(ListenerInfo listener, LeasedMessage leased) {
    StoredMessage message = leased.message();
    byte[] data = message.body();
    Buffer out = Buffer.buffer(BODY_OVERHEAD + (data.length + 2) / 3 * 4);
    out.appendBytes(ID);
    appendString(out, message.id());
    out.appendBytes(QUEUE_ID);
    appendString(out, message.queueId());
    out.appendBytes(QUEUE_NAME);
    appendString(out, listener.queueName());
    out.appendBytes(SEQUENCE);
    appendLong(out, message.sequence());
    out.appendBytes(KEY);
    appendString(out, message.key());
    out.appendBytes(TIMESTAMP);
    appendString(out, timestamp(message.timestampMs()));
    out.appendBytes(ATTEMPT);
    appendLong(out, leased.attempts());
    out.appendBytes(CONTENT_TYPE);
    appendString(out, message.contentType().wireName());
    out.appendBytes(DATA);
    switch (message.contentType()) {
      case JSON -> out.appendBytes(data);
      case TEXT -> appendString(out, data);
      case BYTES, V8 -> out.appendByte((byte) '"').appendBytes(Base64.getEncoder().encode(data))
          .appendByte((byte) '"');
    }
    return out.appendByte((byte) '}');
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
