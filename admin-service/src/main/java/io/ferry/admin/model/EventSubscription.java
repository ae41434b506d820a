package io.ferry.admin.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A Cloudflare-style event subscription: the account's events of {@code sourceType} (e.g. {@code ferry.queues})
 * whose type is in {@code events} are published, while {@code enabled}, as JSON messages into the queue
 * {@code destinationQueueId} of the same account.
 */
public record EventSubscription(String id, String accountId, String name, boolean enabled, String sourceType,
    String destinationQueueId, List<String> events, long createdAtMs, long modifiedAtMs) {

  public EventSubscription {
    events = List.copyOf(events);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("name", name)
        .put("enabled", enabled)
        .put("sourceType", sourceType)
        .put("destinationQueueId", destinationQueueId)
        .put("events", new JsonArray(events))
        .put("createdAtMs", createdAtMs)
        .put("modifiedAtMs", modifiedAtMs);
  }

  @SuppressWarnings("unchecked")
  public static EventSubscription fromJson(JsonObject json) {
    return new EventSubscription(json.getString("id"), json.getString("accountId"), json.getString("name"),
        json.getBoolean("enabled"), json.getString("sourceType"), json.getString("destinationQueueId"),
        json.getJsonArray("events").getList(), json.getLong("createdAtMs"), json.getLong("modifiedAtMs"));
  }
}
