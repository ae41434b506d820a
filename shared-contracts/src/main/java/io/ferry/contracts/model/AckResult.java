package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many leases were acked and retried; leases that could not be used are warnings, not errors, keyed by
 * lease id (Cloudflare's SDK reads them as a map of lease id to message), in the order they were met.
 */
public record AckResult(int ackCount, int retryCount, Map<String, String> warnings) implements BusPayload {

  public AckResult {
    warnings = Collections.unmodifiableMap(new LinkedHashMap<>(warnings));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("ackCount", ackCount)
        .put("retryCount", retryCount)
        .put("warnings", new JsonObject(new LinkedHashMap<>(warnings)));
  }

  public static AckResult fromJson(JsonObject json) {
    Map<String, String> warnings = new LinkedHashMap<>();
    JsonObject encoded = json.getJsonObject("warnings");
    if (encoded != null) {
      encoded.forEach(entry -> warnings.put(entry.getKey(), String.valueOf(entry.getValue())));
    }
    return new AckResult(json.getInteger("ackCount"), json.getInteger("retryCount"), warnings);
  }
}
