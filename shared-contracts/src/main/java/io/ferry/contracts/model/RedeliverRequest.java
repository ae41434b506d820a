package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Makes missed messages of a subscription available again, with their attempts reset: those with the given
 * message ids, or every missed message when {@code messageIds} is empty. With {@code missedSinceMs} at or above
 * zero, only those missed at or after that time. Ids that are not missed are ignored. Reply:
 * {@code RedeliverResult}.
 */
public record RedeliverRequest(String queueId, String subscriptionId, List<String> messageIds, long missedSinceMs)
    implements BusPayload {

  /** {@link #missedSinceMs} of a request that does not narrow by time. */
  public static final long ANY_TIME = -1;

  public RedeliverRequest {
    messageIds = List.copyOf(messageIds);
  }

  public RedeliverRequest(String queueId, String subscriptionId, List<String> messageIds) {
    this(queueId, subscriptionId, messageIds, ANY_TIME);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("queueId", queueId)
        .put("subscriptionId", subscriptionId)
        .put("messageIds", new JsonArray(messageIds))
        .put("missedSinceMs", missedSinceMs);
  }

  public static RedeliverRequest fromJson(JsonObject json) {
    return new RedeliverRequest(json.getString("queueId"), json.getString("subscriptionId"),
        JsonLists.plain(json.getJsonArray("messageIds")), json.getLong("missedSinceMs", ANY_TIME));
  }
}
