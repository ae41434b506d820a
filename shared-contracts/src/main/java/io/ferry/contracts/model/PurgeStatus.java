package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** The last purge of a queue: when it started and whether it has finished ({@code startedAtMs} 0: never). */
public record PurgeStatus(boolean completed, long startedAtMs) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("completed", completed).put("startedAtMs", startedAtMs);
  }

  public static PurgeStatus fromJson(JsonObject json) {
    return new PurgeStatus(json.getBoolean("completed"), json.getLong("startedAtMs"));
  }
}
