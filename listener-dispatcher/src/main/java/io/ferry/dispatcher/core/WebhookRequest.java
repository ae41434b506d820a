package io.ferry.dispatcher.core;

import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.MessageBodies;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

  /** Builds the attempt {@code leased.attempts()} of a leased message, signed at {@code nowSeconds}. */
  public static WebhookRequest of(ListenerInfo listener, LeasedMessage leased, WebhookSigner signer,
      long nowSeconds) {
    StoredMessage message = leased.message();
    Buffer body = new JsonObject()
        .put("id", message.id())
        .put("queue_id", message.queueId())
        .put("queue_name", listener.queueName())
        .put("sequence", message.sequence())
        .put("key", message.key())
        .put("timestamp", Instant.ofEpochMilli(message.timestampMs()).toString())
        .put("attempt", leased.attempts())
        .put("content_type", message.contentType().wireName())
        .put("data", MessageBodies.asJsonValue(message))
        .toBuffer();
    // Encoded once: the same bytes are signed and sent.
    return new WebhookRequest(listener.notifyUrl(), message.id(), nowSeconds, body,
        signer.sign(message.id(), nowSeconds, body.getBytes()));
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
