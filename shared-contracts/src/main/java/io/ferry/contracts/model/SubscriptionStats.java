package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Delivery counters of one subscription: messages acknowledged since it was created, messages currently
 * missed (given up on after the last attempt and held for redelivery), and the ids of the oldest missed ones
 * ({@code missedIds} holds at most {@link #MAX_LISTED} ids; {@code missedCount} is exact).
 */
public record SubscriptionStats(long acknowledgedCount, long missedCount, List<String> missedIds)
    implements BusPayload {

  public static final int MAX_LISTED = 100;

  public SubscriptionStats {
    missedIds = List.copyOf(missedIds);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("acknowledgedCount", acknowledgedCount)
        .put("missedCount", missedCount)
        .put("missedIds", new JsonArray(missedIds));
  }

  public static SubscriptionStats fromJson(JsonObject json) {
    return new SubscriptionStats(json.getLong("acknowledgedCount"), json.getLong("missedCount"),
        JsonLists.plain(json.getJsonArray("missedIds")));
  }
}
