package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A list of listeners. */
public record ListenerList(List<ListenerInfo> listeners) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("listeners", JsonLists.toArray(listeners));
  }

  public static ListenerList fromJson(JsonObject json) {
    return new ListenerList(JsonLists.fromArray(json.getJsonArray("listeners"), ListenerInfo::fromJson));
  }
}
