package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * A listener-dispatcher instance saying it is there ({@code leaving} false, repeated every heartbeat) or that it
 * is stopping ({@code leaving} true). The instances that hear each other share out the listeners' liveness
 * checks among themselves (docs/webhooks.md, "Liveness checks across instances").
 *
 * @param instanceId random per start of a dispatcher, never reused
 */
public record DispatcherPresence(String instanceId, boolean leaving) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("instanceId", instanceId).put("leaving", leaving);
  }

  public static DispatcherPresence fromJson(JsonObject json) {
    return new DispatcherPresence(json.getString("instanceId"), json.getBoolean("leaving", false));
  }
}
