package io.ferry.admin.api.cloudflare;

import io.ferry.admin.core.Views.QueueView;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

// The Cloudflare queue object, the settings of queue request bodies, and a purge's status.
final class QueueJson {

  static final int MAX_DELIVERY_DELAY = 43_200;
  static final int MIN_RETENTION = 60;
  static final int MAX_RETENTION = 1_209_600;

  private QueueJson() {
  }

  static JsonObject queue(QueueView view) {
    QueueInfo queue = view.queue();
    QueueSettings settings = queue.settings();
    JsonArray consumers = new JsonArray();
    view.consumers().forEach(consumer -> consumers.add(ConsumerJson.consumer(consumer)));
    return new JsonObject()
        .put("queue_id", queue.id())
        .put("queue_name", queue.name())
        .put("created_on", time(queue.createdAtMs()))
        .put("modified_on", time(queue.modifiedAtMs()))
        .put("producers", new JsonArray())
        .put("producers_total_count", 0)
        .put("consumers", consumers)
        .put("consumers_total_count", consumers.size())
        .put("settings", new JsonObject()
            .put("delivery_delay", settings.deliveryDelaySeconds())
            .put("delivery_paused", settings.deliveryPaused())
            .put("message_retention_period", settings.retentionPeriodSeconds()));
  }

  static QueueSettings settings(JsonObject body) {
    return settings(body, QueueSettings.DEFAULTS);
  }

  // The body's settings; each one it leaves out is taken from defaults (PATCH passes the current settings).
  static QueueSettings settings(JsonObject body, QueueSettings defaults) {
    JsonObject settings = RequestBody.object(body, "settings", "settings");
    return new QueueSettings(
        RequestBody.integer(settings, "delivery_delay", "settings.delivery_delay", 0, MAX_DELIVERY_DELAY,
            defaults.deliveryDelaySeconds()),
        RequestBody.bool(settings, "delivery_paused", "settings.delivery_paused", defaults.deliveryPaused()),
        RequestBody.integer(settings, "message_retention_period", "settings.message_retention_period",
            MIN_RETENTION, MAX_RETENTION, defaults.retentionPeriodSeconds()));
  }

  // Cloudflare reports completed as the string "true" or "false"; started_at (a string) is left out until a purge.
  static JsonObject purgeStatus(PurgeStatus status) {
    JsonObject result = new JsonObject().put("completed", Boolean.toString(status.completed()));
    if (status.startedAtMs() != 0) {
      result.put("started_at", time(status.startedAtMs()));
    }
    return result;
  }

  static String time(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }
}
