package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One page of history, plus the queue's last assigned sequence at the time of the read (0 when none), so a
 * reader knows when it has caught up with the live head, and the sequence of the oldest message the queue
 * still retains (0 when none or unknown), so a reader that asked for an older one knows that what lies
 * before it is gone (retention, purge or deletion).
 */
public record HistoryPage(List<StoredMessage> messages, long headSequence, long oldestSequence)
    implements BusPayload {

  /** A page without the oldest retained sequence (unknown). */
  public HistoryPage(List<StoredMessage> messages, long headSequence) {
    this(messages, headSequence, 0);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("messages", JsonLists.toArray(messages)).put("headSequence", headSequence)
        .put("oldestSequence", oldestSequence);
  }

  public static HistoryPage fromJson(JsonObject json) {
    return new HistoryPage(JsonLists.fromArray(json.getJsonArray("messages"), StoredMessage::fromJson),
        json.getLong("headSequence"), json.getLong("oldestSequence", 0L));
  }
}
