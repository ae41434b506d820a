package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** How many leases were acked and retried; leases that could not be used are warnings, not errors. */
public record AckResult(int ackCount, int retryCount, List<String> warnings) implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("ackCount", ackCount)
        .put("retryCount", retryCount)
        .put("warnings", new JsonArray(List.copyOf(warnings)));
  }

  public static AckResult fromJson(JsonObject json) {
    return new AckResult(json.getInteger("ackCount"), json.getInteger("retryCount"),
        JsonLists.plain(json.getJsonArray("warnings")));
  }
}
