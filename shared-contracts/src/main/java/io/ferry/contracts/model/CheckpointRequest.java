package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** Take a checkpoint of a service's store into {@code directory}, which must not exist yet (absolute path). */
public record CheckpointRequest(String directory) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("directory", directory);
  }

  public static CheckpointRequest fromJson(JsonObject json) {
    return new CheckpointRequest(json.getString("directory"));
  }
}
