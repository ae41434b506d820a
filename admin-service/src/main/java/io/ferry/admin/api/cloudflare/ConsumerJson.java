package io.ferry.admin.api.cloudflare;

import io.ferry.admin.core.ConsumerSettings;
import io.ferry.admin.core.Views.ConsumerView;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

// The Cloudflare consumer object, and the body that creates or overwrites one.
final class ConsumerJson {

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

  private ConsumerJson() {
  }

  // A create or PUT body: an http_pull consumer with its dead-letter queue name (or null) and settings.
  record Request(String deadLetterQueue, ConsumerSettings settings) {
  }

  static JsonObject consumer(ConsumerView view) {
    QueueConsumer consumer = view.consumer();
    return new JsonObject()
        .put("consumer_id", consumer.id())
        .put("type", consumer.type())
        .put("queue_id", consumer.queueId())
        .put("queue_name", view.queueName())
        .put("created_on", QueueJson.time(consumer.createdAtMs()))
        .put("dead_letter_queue", view.deadLetterQueueName() == null ? "" : view.deadLetterQueueName())
        .put("settings", settings(consumer));
  }

  // Settings a client never set are left out, as the SDK's optional fields allow.
  private static JsonObject settings(QueueConsumer consumer) {
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

  // "" is how a consumer without a dead-letter queue reads back, so a client may well send it: it means none.
  // Naming a dead-letter queue may create it, so it needs a write grant for that name too.
  static Request request(JsonObject body, Principal caller) {
    requirePullType(body);
    refuseUnknown(body, CONSUMER_FIELDS, "", Map.of());
    String deadLetterQueue = RequestBody.optionalString(body, "dead_letter_queue", "dead_letter_queue");
    ConsumerSettings settings = requestedSettings(body);
    if (deadLetterQueue != null && !deadLetterQueue.isEmpty()) {
      caller.check(Resource.QUEUES, Access.WRITE, deadLetterQueue);
    }
    return new Request(deadLetterQueue, settings);
  }

  // Only http_pull, and a helpful word about workers.
  private static void requirePullType(JsonObject body) {
    String type = RequestBody.requiredString(body, "type", "type");
    if (type.equals("worker")) {
      throw FerryException.invalidField("type", "worker consumers are not supported by Ferry: use type "
          + "http_pull (pull with leases), or a webhook listener (POST /v1/queues/{queue_id}/listeners)");
    }
    if (!type.equals(QueueConsumer.HTTP_PULL)) {
      throw FerryException.invalidField("type", "must be http_pull");
    }
  }

  private static ConsumerSettings requestedSettings(JsonObject body) {
    JsonObject settings = RequestBody.object(body, "settings", "settings");
    refuseUnknown(settings, SETTINGS_FIELDS, "settings.", SETTING_HINTS);
    ConsumerSettings defaults = ConsumerSettings.DEFAULTS;
    return new ConsumerSettings(
        RequestBody.integer(settings, "batch_size", "settings.batch_size", 1, 100, defaults.batchSize()),
        RequestBody.integer(settings, "max_retries", "settings.max_retries", 0, 100, defaults.maxRetries()),
        RequestBody.integer(settings, "retry_delay", "settings.retry_delay", 0, QueueJson.MAX_DELIVERY_DELAY,
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
}
