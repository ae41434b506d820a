package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One page of history, plus the queue's last assigned sequence at the time of the read (0 when none), so a
 * reader knows when it has caught up with the live head.
 */
public record HistoryPage(List<StoredMessage> messages, long headSequence) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("messages", JsonLists.toArray(messages)).put("headSequence", headSequence);
  }

  public static HistoryPage fromJson(JsonObject json) {
    return new HistoryPage(JsonLists.fromArray(json.getJsonArray("messages"), StoredMessage::fromJson),
        json.getLong("headSequence"));
  }
}
