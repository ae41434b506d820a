package io.ferry.contracts.bus;

import io.vertx.core.json.JsonObject;

/** An immutable event-bus payload. Its JSON form is used only when it crosses JVMs. */
public interface BusPayload {
  JsonObject toJson();
}
