package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Makes missed messages of a subscription available again, with their attempts reset: those with the given
 * message ids, or every missed message when {@code messageIds} is empty. Ids that are not missed are
 * ignored. Reply: {@code RedeliverResult}.
 */
public record RedeliverRequest(String queueId, String subscriptionId, List<String> messageIds)
    implements BusPayload {

  public RedeliverRequest {
    messageIds = List.copyOf(messageIds);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("queueId", queueId)
        .put("subscriptionId", subscriptionId)
        .put("messageIds", new JsonArray(messageIds));
  }

  public static RedeliverRequest fromJson(JsonObject json) {
    return new RedeliverRequest(json.getString("queueId"), json.getString("subscriptionId"),
        JsonLists.plain(json.getJsonArray("messageIds")));
  }
}
