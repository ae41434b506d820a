package io.ferry.admin.store;

import io.vertx.core.json.JsonObject;

/**
 * A consumer of a queue (today only {@code http_pull}): its delivery settings and the queue its dead
 * messages go to ({@code deadLetterQueueId}, {@code null} when none).
 */
public record QueueConsumer(String id, String accountId, String queueId, String type, String deadLetterQueueId,
    int batchSize, int maxRetries, int retryDelaySeconds, int visibilityTimeoutMs, long createdAtMs) {

  public static final String HTTP_PULL = "http_pull";

  public QueueConsumer withDeadLetterQueueId(String queueId) {
    return new QueueConsumer(id, accountId, this.queueId, type, queueId, batchSize, maxRetries,
        retryDelaySeconds, visibilityTimeoutMs, createdAtMs);
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
        .put("createdAtMs", createdAtMs);
  }

  public static QueueConsumer fromJson(JsonObject json) {
    return new QueueConsumer(json.getString("id"), json.getString("accountId"), json.getString("queueId"),
        json.getString("type"), json.getString("deadLetterQueueId"), json.getInteger("batchSize"),
        json.getInteger("maxRetries"), json.getInteger("retryDelaySeconds"),
        json.getInteger("visibilityTimeoutMs"), json.getLong("createdAtMs"));
  }
}
