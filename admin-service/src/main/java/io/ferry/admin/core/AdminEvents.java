package io.ferry.admin.core;

import io.vertx.core.json.JsonObject;

/** Announces admin actions ({@link io.ferry.contracts.model.EventTypes}) to whoever follows them. */
public interface AdminEvents {

  void publish(String type, String accountId, String resourceId, JsonObject payload);
}
