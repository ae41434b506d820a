package io.ferry.admin.api.discue;

import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.schema.MessageSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

// The discue queue object, wrapped under its name with its links, and the schema of request bodies.
final class QueueJson {

  private QueueJson() {
  }

  // A queue with its message schema, when it has one.
  static JsonObject queue(QueueInfo queue) {
    JsonObject json = new JsonObject().put("id", queue.id()).put("name", queue.name());
    if (queue.schema() != null) {
      json.put("schema", queue.schema());
    }
    return json;
  }

  // As discue lists: the items, a self link and one link per item keyed by its name.
  static JsonObject queues(List<QueueInfo> queues) {
    JsonArray items = new JsonArray();
    JsonObject links = Links.self("/v1/queues");
    queues.forEach(queue -> {
      items.add(queue(queue));
      Links.link(links, queue.name(), queue.id(), "/v1/queues/" + queue.id());
    });
    return new JsonObject().put("queues", items).put("_links", links);
  }

  // The answer of create, get and update: the queue with its link.
  static JsonObject queueDocument(QueueInfo queue) {
    return new JsonObject().put("queue", queue(queue)).put("_links", Links.self("/v1/queues/" + queue.id()));
  }

  static JsonObject deletedQueue(QueueInfo queue) {
    return new JsonObject().put("queue", new JsonObject().put("id", queue.id()).put("name", queue.name()));
  }

  // The body's schema: null when absent or null, else compiled to check it (a 400 naming the path inside it)
  // and kept as the client sent it.
  static JsonObject schema(JsonObject body) {
    Object value = body.getValue("schema");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject schema)) {
      throw FerryException.invalidField("schema", "must be an object");
    }
    MessageSchema.compile(schema);
    return schema;
  }
}
