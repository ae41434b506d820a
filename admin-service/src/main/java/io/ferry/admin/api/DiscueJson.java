package io.ferry.admin.api;

import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

// The discue dialect's objects: resources wrapped under their name, with HAL links.
final class DiscueJson {

  private DiscueJson() {
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
    JsonObject links = self("/v1/queues");
    queues.forEach(queue -> {
      items.add(queue(queue));
      link(links, queue.name(), queue.id(), "/v1/queues/" + queue.id());
    });
    return new JsonObject().put("queues", items).put("_links", links);
  }

  /** Adds a link to one listed item under its name, or under its id when another item has that name. */
  static void link(JsonObject links, String name, String id, String href) {
    String key = name == null || links.containsKey(name) ? id : name;
    links.put(key, new JsonObject().put("href", href));
  }

  // The answer of create, get and update: the queue with its link.
  static JsonObject queueDocument(QueueInfo queue) {
    return new JsonObject().put("queue", queue(queue)).put("_links", self("/v1/queues/" + queue.id()));
  }

  static JsonObject deletedQueue(QueueInfo queue) {
    return new JsonObject().put("queue", new JsonObject().put("id", queue.id()).put("name", queue.name()));
  }

  static JsonObject self(String href) {
    return new JsonObject().put("self", new JsonObject().put("href", href));
  }
}
