package io.ferry.admin.api;

import io.ferry.admin.core.ConsumerSettings;
import io.ferry.admin.core.Views.ConsumerView;
import io.ferry.admin.core.Views.QueueView;
import io.ferry.admin.model.Account;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

// The Cloudflare dialect's objects: queues, consumers and accounts, and their request settings.
final class CloudflareJson {

  static final int MAX_DELIVERY_DELAY = 43_200;
  static final int MIN_RETENTION = 60;
  static final int MAX_RETENTION = 1_209_600;
  // Cloudflare's ceilings: a 60 s batch window and 250 concurrent consumer invocations.
  static final int MAX_WAIT_TIME_MS = 60_000;
  static final int MAX_CONCURRENCY = 250;
  // What the SDK's consumer types declare (a consumer read back and sent again carries its read-only fields).
  private static final List<String> CONSUMER_FIELDS = List.of("type", "dead_letter_queue", "settings",
      "consumer_id", "queue_id", "queue_name", "created_on");
  private static final List<String> SETTINGS_FIELDS = List.of("batch_size", "max_retries", "retry_delay",
      "visibility_timeout_ms", "max_wait_time_ms", "max_concurrency");
  // wrangler's configuration names for the same settings are a likely mix-up.
  private static final Map<String, String> SETTING_HINTS = Map.of(
      "max_batch_size", "unknown field; the API calls it batch_size",
      "max_batch_timeout", "unknown field; the API calls it max_wait_time_ms (milliseconds)",
      "retry_delay_seconds", "unknown field; the API calls it retry_delay (seconds)",
      "dead_letter_queue", "belongs at the top level of the consumer, not in settings");

  private CloudflareJson() {
  }

  static JsonObject queue(QueueView view) {
    QueueInfo queue = view.queue();
    QueueSettings settings = queue.settings();
    JsonArray consumers = new JsonArray();
    view.consumers().forEach(consumer -> consumers.add(consumer(consumer)));
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

  static JsonObject consumer(ConsumerView view) {
    QueueConsumer consumer = view.consumer();
    return new JsonObject()
        .put("consumer_id", consumer.id())
        .put("type", consumer.type())
        .put("queue_id", consumer.queueId())
        .put("queue_name", view.queueName())
        .put("created_on", time(consumer.createdAtMs()))
        .put("dead_letter_queue", view.deadLetterQueueName() == null ? "" : view.deadLetterQueueName())
        .put("settings", consumerSettings(consumer));
  }

  // Settings a client never set are left out, as the SDK's optional fields allow.
  private static JsonObject consumerSettings(QueueConsumer consumer) {
    JsonObject settings = new JsonObject()
        .put("batch_size", consumer.batchSize())
        .put("max_retries", consumer.maxRetries())
        .put("retry_delay", consumer.retryDelaySeconds())
        .put("visibility_timeout_ms", consumer.visibilityTimeoutMs());
    if (consumer.maxWaitTimeMs() != null) {
      settings.put("max_wait_time_ms", consumer.maxWaitTimeMs());
    }
    if (consumer.maxConcurrency() != null) {
      settings.put("max_concurrency", consumer.maxConcurrency());
    }
    return settings;
  }

  // The SDK's Account requires a type; every Ferry account is a plain one.
  static JsonObject account(Account account) {
    return new JsonObject()
        .put("id", account.id())
        .put("name", account.name())
        .put("type", "standard")
        .put("created_on", time(account.createdAtMs()));
  }

  static QueueSettings queueSettings(JsonObject body) {
    return queueSettings(body, QueueSettings.DEFAULTS);
  }

  // The body's settings; each one it leaves out is taken from defaults (PATCH passes the current settings).
  static QueueSettings queueSettings(JsonObject body, QueueSettings defaults) {
    JsonObject settings = RequestBody.object(body, "settings", "settings");
    return new QueueSettings(
        RequestBody.integer(settings, "delivery_delay", "settings.delivery_delay", 0, MAX_DELIVERY_DELAY,
            defaults.deliveryDelaySeconds()),
        RequestBody.bool(settings, "delivery_paused", "settings.delivery_paused", defaults.deliveryPaused()),
        RequestBody.integer(settings, "message_retention_period", "settings.message_retention_period",
            MIN_RETENTION, MAX_RETENTION, defaults.retentionPeriodSeconds()));
  }

  // The consumer type of a create or PUT body: only http_pull, and a helpful word about workers.
  /** A consumer create/PUT body: an http_pull consumer with its dead-letter queue name (or null) and settings. */
  record ConsumerRequest(String deadLetterQueue, ConsumerSettings settings) {
  }

  // "" is how a consumer without a dead-letter queue reads back, so a client may well send it: it means none.
  // Naming a dead-letter queue may create it, so it needs a write grant for that name too.
  static ConsumerRequest consumerRequest(JsonObject body, Principal caller) {
    requirePullType(body);
    refuseUnknown(body, CONSUMER_FIELDS, "", Map.of());
    String deadLetterQueue = RequestBody.optionalString(body, "dead_letter_queue", "dead_letter_queue");
    ConsumerSettings settings = consumerSettings(body);
    if (deadLetterQueue != null && !deadLetterQueue.isEmpty()) {
      caller.check(Resource.QUEUES, Access.WRITE, deadLetterQueue);
    }
    return new ConsumerRequest(deadLetterQueue, settings);
  }

  static void requirePullType(JsonObject body) {
    String type = RequestBody.requiredString(body, "type", "type");
    if (type.equals("worker")) {
      throw FerryException.invalidField("type", "worker consumers are not supported by Ferry: use type "
          + "http_pull (pull with leases), or a webhook listener (POST /v1/queues/{queue_id}/listeners)");
    }
    if (!type.equals(QueueConsumer.HTTP_PULL)) {
      throw FerryException.invalidField("type", "must be http_pull");
    }
  }

  static ConsumerSettings consumerSettings(JsonObject body) {
    JsonObject settings = RequestBody.object(body, "settings", "settings");
    refuseUnknown(settings, SETTINGS_FIELDS, "settings.", SETTING_HINTS);
    ConsumerSettings defaults = ConsumerSettings.DEFAULTS;
    return new ConsumerSettings(
        RequestBody.integer(settings, "batch_size", "settings.batch_size", 1, 100, defaults.batchSize()),
        RequestBody.integer(settings, "max_retries", "settings.max_retries", 0, 100, defaults.maxRetries()),
        RequestBody.integer(settings, "retry_delay", "settings.retry_delay", 0, MAX_DELIVERY_DELAY,
            defaults.retryDelaySeconds()),
        RequestBody.integer(settings, "visibility_timeout_ms", "settings.visibility_timeout_ms", 1_000,
            43_200_000, defaults.visibilityTimeoutMs()),
        optionalInteger(settings, "max_wait_time_ms", 0, MAX_WAIT_TIME_MS),
        optionalInteger(settings, "max_concurrency", 1, MAX_CONCURRENCY));
  }

  // Absent or null (Cloudflare: null opts in to the platform's choice) reads as not set.
  private static Integer optionalInteger(JsonObject settings, String key, int min, int max) {
    return settings.getValue(key) == null ? null
        : RequestBody.integer(settings, key, "settings." + key, min, max, min);
  }

  private static void refuseUnknown(JsonObject json, List<String> known, String prefix, Map<String, String> hints) {
    for (String field : json.fieldNames()) {
      if (!known.contains(field)) {
        String hint = hints.get(field);
        // The client's own field name goes back in the error; a name as long as the body need not.
        String shown = field.length() <= 64 ? field : field.substring(0, 64) + "...";
        throw FerryException.invalidField(prefix + shown, hint != null ? hint
            : "unknown field; Ferry accepts " + String.join(", ", known));
      }
    }
  }

  // Cloudflare reports completed as the string "true" or "false"; started_at (a string) is left out until a purge.
  static JsonObject purgeStatus(PurgeStatus status) {
    JsonObject result = new JsonObject().put("completed", Boolean.toString(status.completed()));
    if (status.startedAtMs() != 0) {
      result.put("started_at", time(status.startedAtMs()));
    }
    return result;
  }

  private static String time(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }
}
