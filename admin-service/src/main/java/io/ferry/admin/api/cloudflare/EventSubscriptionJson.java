package io.ferry.admin.api.cloudflare;

import io.ferry.admin.core.EventSubscriptionService.Changes;
import io.ferry.admin.model.EventSubscription;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

// Event subscriptions in the Cloudflare dialect: the object, and the request bodies of create and PATCH.
final class EventSubscriptionJson {

  static final String QUEUE_DESTINATION = "queues.queue";

  private EventSubscriptionJson() {
  }

  static JsonObject subscription(EventSubscription subscription) {
    return new JsonObject()
        .put("id", subscription.id())
        .put("name", subscription.name())
        .put("enabled", subscription.enabled())
        .put("source", new JsonObject().put("type", subscription.sourceType()))
        .put("destination", new JsonObject().put("type", QUEUE_DESTINATION)
            .put("queue_id", subscription.destinationQueueId()))
        .put("events", new JsonArray(subscription.events()))
        .put("created_at", Instant.ofEpochMilli(subscription.createdAtMs()).toString())
        .put("modified_at", Instant.ofEpochMilli(subscription.modifiedAtMs()).toString());
  }

  // A create body must have name, source, destination and events; a PATCH body may leave any of them out.
  static Changes changes(JsonObject body, boolean create) {
    String name = create ? RequestBody.requiredString(body, "name", "name")
        : RequestBody.optionalString(body, "name", "name");
    Boolean enabled = body.getValue("enabled") == null ? null
        : RequestBody.bool(body, "enabled", "enabled", true);
    String sourceType = null;
    if (create || body.getValue("source") != null) {
      JsonObject source = required(body, "source");
      sourceType = RequestBody.requiredString(source, "type", "source.type");
    }
    String queueId = null;
    if (create || body.getValue("destination") != null) {
      JsonObject destination = required(body, "destination");
      String type = RequestBody.requiredString(destination, "type", "destination.type");
      if (!type.equals(QUEUE_DESTINATION)) {
        throw FerryException.invalidField("destination.type", "must be " + QUEUE_DESTINATION);
      }
      queueId = RequestBody.requiredString(destination, "queue_id", "destination.queue_id");
    }
    List<String> events = create || body.getValue("events") != null ? events(body) : null;
    return new Changes(name, enabled, sourceType, queueId, events);
  }

  private static JsonObject required(JsonObject body, String field) {
    if (body.getValue(field) == null) {
      throw FerryException.invalidField(field, "is required");
    }
    return RequestBody.object(body, field, field);
  }

  private static List<String> events(JsonObject body) {
    Object value = body.getValue("events");
    if (value == null) {
      throw FerryException.invalidField("events", "is required");
    }
    if (!(value instanceof JsonArray array)) {
      throw FerryException.invalidField("events", "must be an array of event types");
    }
    List<String> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String event)) {
        throw FerryException.invalidField("events[" + i + "]", "must be a string");
      }
      events.add(event);
    }
    return events;
  }
}
