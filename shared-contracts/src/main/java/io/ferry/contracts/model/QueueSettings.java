package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/** A queue's delivery settings, in seconds as the Cloudflare dialect names them. */
public record QueueSettings(int deliveryDelaySeconds, boolean deliveryPaused, int retentionPeriodSeconds)
    implements BusPayload {

  public static final QueueSettings DEFAULTS = new QueueSettings(0, false, 345_600);

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("deliveryDelaySeconds", deliveryDelaySeconds)
        .put("deliveryPaused", deliveryPaused)
        .put("retentionPeriodSeconds", retentionPeriodSeconds);
  }

  public static QueueSettings fromJson(JsonObject json) {
    return new QueueSettings(json.getInteger("deliveryDelaySeconds"), json.getBoolean("deliveryPaused"),
        json.getInteger("retentionPeriodSeconds"));
  }
}
