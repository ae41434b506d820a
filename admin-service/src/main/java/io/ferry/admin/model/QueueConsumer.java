package io.ferry.admin.model;

import io.vertx.core.json.JsonObject;

/**
 * A consumer of a queue (today only {@code http_pull}): its delivery settings and the queue its dead
 * messages go to ({@code deadLetterQueueId}, {@code null} when none). {@code maxWaitTimeMs} and
 * {@code maxConcurrency} are stored as the client set them ({@code null}: not set); pulls do not use them.
 */
public record QueueConsumer(String id, String accountId, String queueId, String type, String deadLetterQueueId,
    int batchSize, int maxRetries, int retryDelaySeconds, int visibilityTimeoutMs, long createdAtMs,
    Integer maxWaitTimeMs, Integer maxConcurrency) {

  public static final String HTTP_PULL = "http_pull";

  public QueueConsumer(String id, String accountId, String queueId, String type, String deadLetterQueueId,
      int batchSize, int maxRetries, int retryDelaySeconds, int visibilityTimeoutMs, long createdAtMs) {
    this(id, accountId, queueId, type, deadLetterQueueId, batchSize, maxRetries, retryDelaySeconds,
        visibilityTimeoutMs, createdAtMs, null, null);
  }

  public QueueConsumer withDeadLetterQueueId(String queueId) {
    return new QueueConsumer(id, accountId, this.queueId, type, queueId, batchSize, maxRetries,
        retryDelaySeconds, visibilityTimeoutMs, createdAtMs, maxWaitTimeMs, maxConcurrency);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("queueId", queueId)
        .put("type", type)
        .put("deadLetterQueueId", deadLetterQueueId)
        .put("batchSize", batchSize)
        .put("maxRetries", maxRetries)
        .put("retryDelaySeconds", retryDelaySeconds)
        .put("visibilityTimeoutMs", visibilityTimeoutMs)
        .put("createdAtMs", createdAtMs)
        .put("maxWaitTimeMs", maxWaitTimeMs)
        .put("maxConcurrency", maxConcurrency);
  }

  public static QueueConsumer fromJson(JsonObject json) {
    return new QueueConsumer(json.getString("id"), json.getString("accountId"), json.getString("queueId"),
        json.getString("type"), json.getString("deadLetterQueueId"), json.getInteger("batchSize"),
        json.getInteger("maxRetries"), json.getInteger("retryDelaySeconds"),
        json.getInteger("visibilityTimeoutMs"), json.getLong("createdAtMs"), json.getInteger("maxWaitTimeMs"),
        json.getInteger("maxConcurrency"));
  }
}
