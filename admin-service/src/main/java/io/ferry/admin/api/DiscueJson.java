package io.ferry.admin.api;

import io.ferry.admin.store.Listener;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

// The discue dialect's objects: resources wrapped under their name, with HAL links.
final class DiscueJson {

  private DiscueJson() {
  }

  static JsonObject queue(QueueInfo queue) {
    return new JsonObject().put("id", queue.id()).put("name", queue.name());
  }

  static JsonObject queues(List<QueueInfo> queues) {
    JsonArray items = new JsonArray();
    queues.forEach(queue -> items.add(queue(queue)));
    return new JsonObject().put("queues", items);
  }

  // A listener as listed: never with its secret.
  static JsonObject listener(Listener listener) {
    return new JsonObject()
        .put("id", listener.id())
        .put("name", listener.name())
        .put("notify_url", listener.notifyUrl())
        .put("liveness_url", listener.livenessUrl())
        .put("queue_id", listener.queueId());
  }

  static JsonObject listeners(List<Listener> listeners) {
    JsonArray items = new JsonArray();
    listeners.forEach(listener -> items.add(listener(listener)));
    return new JsonObject().put("listeners", items);
  }

  // The creation answer: the only time the signing secret is shown.
  static JsonObject createdListener(Listener listener) {
    return new JsonObject()
        .put("listener", new JsonObject()
            .put("id", listener.id())
            .put("name", listener.name())
            .put("secret", listener.secret()))
        .put("_links", self("/v1/queues/" + listener.queueId() + "/listeners/" + listener.id()));
  }

  static JsonObject createdQueue(QueueInfo queue) {
    return new JsonObject().put("queue", queue(queue)).put("_links", self("/v1/queues/" + queue.id()));
  }

  static void send(RoutingContext ctx, JsonObject body) {
    boolean pretty = "true".equalsIgnoreCase(ctx.request().getParam("pretty"));
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(pretty ? body.encodePrettily() : body.encode());
  }

  private static JsonObject self(String href) {
    return new JsonObject().put("self", new JsonObject().put("href", href));
  }
}
