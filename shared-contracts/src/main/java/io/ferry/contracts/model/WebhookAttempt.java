package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * One webhook attempt as the dispatcher saw it, for the listener's attempt log: when it was sent
 * ({@code timestampMs}), which delivery of the message it was ({@code attempt}, 1 = the first), what it came to
 * ({@code outcome}: {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx}, {@code other}, {@code timeout},
 * {@code refused} or {@code error}, as on {@code /metrics}), the receiver's status ({@code statusCode},
 * {@code null} when no response arrived), why no response arrived ({@code error}), how long it took, and the
 * start of the response body ({@code responseExcerpt}, at most {@link #EXCERPT_BYTES} bytes; {@code null} when
 * there was none).
 */
public record WebhookAttempt(String id, String queueId, String listenerId, String messageId, int attempt,
    long timestampMs, String outcome, Integer statusCode, String error, long latencyMs, String responseExcerpt)
    implements BusPayload {

  /** How much of a receiver's response body an attempt keeps. */
  public static final int EXCERPT_BYTES = 1024;

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("queueId", queueId)
        .put("listenerId", listenerId)
        .put("messageId", messageId)
        .put("attempt", attempt)
        .put("timestampMs", timestampMs)
        .put("outcome", outcome)
        .put("statusCode", statusCode)
        .put("error", error)
        .put("latencyMs", latencyMs)
        .put("responseExcerpt", responseExcerpt);
  }

  public static WebhookAttempt fromJson(JsonObject json) {
    return new WebhookAttempt(json.getString("id"), json.getString("queueId"), json.getString("listenerId"),
        json.getString("messageId"), json.getInteger("attempt", 0), json.getLong("timestampMs", 0L),
        json.getString("outcome"), json.getInteger("statusCode"), json.getString("error"),
        json.getLong("latencyMs", 0L), json.getString("responseExcerpt"));
  }
}
