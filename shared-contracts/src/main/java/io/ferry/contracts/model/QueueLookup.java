package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** Find a queue of an account by id or, when {@code queueId} is {@code null}, by name. */
public record QueueLookup(String accountId, String queueId, String queueName) implements BusPayload {

  public static QueueLookup byId(String accountId, String queueId) {
    return new QueueLookup(accountId, queueId, null);
  }

  public static QueueLookup byName(String accountId, String queueName) {
    return new QueueLookup(accountId, null, queueName);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("accountId", accountId).put("queueId", queueId).put("queueName", queueName);
  }

  public static QueueLookup fromJson(JsonObject json) {
    return new QueueLookup(json.getString("accountId"), json.getString("queueId"), json.getString("queueName"));
  }
}
