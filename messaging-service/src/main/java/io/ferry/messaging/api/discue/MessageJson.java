package io.ferry.messaging.api.discue;

import io.ferry.contracts.model.MessageBodies;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.core.MessageSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** discue message documents, with the {@code _links} that lead from one to the next. */
final class MessageJson {

  private MessageJson() {
  }

  static JsonObject created(String queueId, StoredMessage stored) {
    return new JsonObject()
        .put("message", new JsonObject().put("id", stored.id()).put("name", stored.key()))
        .put("_links", links(messagePath(queueId, stored.id())));
  }

  static JsonObject message(String queueId, StoredMessage message) {
    return new JsonObject()
        .put("message", new JsonObject().put("id", message.id()).put("name", message.key())
            .put("data", MessageBodies.asJsonValue(message)))
        .put("_links", links(messagePath(queueId, message.id())));
  }

  static JsonObject deleted(StoredMessage message) {
    return new JsonObject()
        .put("message", new JsonObject().put("id", message.id()).put("name", message.key()));
  }

  static JsonObject page(List<MessageSummary> listed, String path, int limit, String startAfter, String next) {
    JsonArray messages = new JsonArray();
    listed.forEach(m -> messages.add(new JsonObject().put("id", m.id()).put("name", m.key())
        .put("queue_id", m.queueId())));
    JsonObject links = links(path + "?limit=" + limit + (startAfter == null ? "" : "&start_after=" + startAfter));
    if (next != null) {
      links.put("next", new JsonObject().put("href", path + "?limit=" + limit + "&start_after=" + next));
    }
    return new JsonObject().put("messages", messages).put("_links", links);
  }

  private static String messagePath(String queueId, String messageId) {
    return "/v1/queues/" + queueId + "/messages/" + messageId;
  }

  private static JsonObject links(String self) {
    return new JsonObject().put("self", new JsonObject().put("href", self));
  }
}
