package io.ferry.messaging.api;

import io.ferry.contracts.auth.Scope;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.MessageBodies;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.runtime.BusAuthHandler;
import io.ferry.messaging.core.MessageSummary;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.Publication;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * discue's message routes: create ({@code data}: a string stored as text, any other JSON value as json, keyed
 * by name), list the retained
 * messages of a queue or of every queue (paged by {@code limit} and a {@code start_after} message id), and
 * get or delete one message by id.
 */
public final class DiscueMessagesApi {

  private static final int MAX_NAME_LENGTH = 512;
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final MessagingEngine engine;

  public DiscueMessagesApi(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Vertx vertx) {
    Handler<RoutingContext> read = BusAuthHandler.create(vertx, Scope.MESSAGES, Scope.READ);
    Handler<RoutingContext> write = BusAuthHandler.create(vertx, Scope.MESSAGES, Scope.WRITE);
    router.post("/v1/queues/:queue_id/messages").handler(write).handler(this::create);
    router.get("/v1/queues/:queue_id/messages").handler(read).handler(this::listQueue);
    router.get("/v1/messages").handler(read).handler(this::listAccount);
    router.get("/v1/queues/:queue_id/messages/:message_id").handler(read).handler(this::get);
    router.delete("/v1/queues/:queue_id/messages/:message_id").handler(write).handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    String account = Responses.principal(ctx).accountId();
    String queueId = queueId(ctx);
    JsonObject body = RequestJson.object(ctx);
    String name = RequestJson.optionalString(body, "name", "name");
    if (name != null && (name.isEmpty() || name.length() > MAX_NAME_LENGTH)) {
      throw RequestJson.invalid(ErrorCode.INVALID_FIELD, "name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    NewMessage message = message(name, body.getValue("data"));
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.WRITE, account, queueId)
        .compose(v -> engine.publish(Publication.toQueue(account, queueId, List.of(message), null)))
        .onSuccess(result -> {
          StoredMessage stored = result.messages().get(0);
          Responses.json(ctx, 200, new JsonObject()
              .put("message", new JsonObject().put("id", stored.id()).put("name", stored.key()))
              .put("_links", links(messagePath(queueId, stored.id()))));
        })
        .onFailure(ctx::fail);
  }

  // data is kept as the JSON value sent: a string as text, anything else as json, so that a queue's schema
  // and every reader see the same value the producer sent.
  private static NewMessage message(String name, Object data) {
    if (data == null) {
      throw RequestJson.invalid(ErrorCode.INVALID_FIELD, "data", "is required");
    }
    boolean text = data instanceof String;
    byte[] bytes = (text ? (String) data : Json.encode(data)).getBytes(StandardCharsets.UTF_8);
    MessageLimits.checkMessageSize(bytes, "data");
    return new NewMessage(name, text ? ContentType.TEXT : ContentType.JSON, bytes, null);
  }

  private void listQueue(RoutingContext ctx) {
    String queueId = queueId(ctx);
    list(ctx, queueId, "/v1/queues/" + queueId + "/messages");
  }

  private void listAccount(RoutingContext ctx) {
    list(ctx, null, "/v1/messages");
  }

  private void get(RoutingContext ctx) {
    String account = Responses.principal(ctx).accountId();
    String queueId = queueId(ctx);
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.READ, account, queueId)
        .compose(v -> engine.message(account, queueId, ctx.pathParam("message_id")))
        .onSuccess(message -> Responses.json(ctx, 200, new JsonObject()
            .put("message", new JsonObject().put("id", message.id()).put("name", message.key())
                .put("data", MessageBodies.asJsonValue(message)))
            .put("_links", links(messagePath(queueId, message.id())))))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String account = Responses.principal(ctx).accountId();
    String queueId = queueId(ctx);
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.WRITE, account, queueId)
        .compose(v -> engine.deleteMessage(account, queueId, ctx.pathParam("message_id")))
        .onSuccess(message -> Responses.json(ctx, 200, new JsonObject()
            .put("message", new JsonObject().put("id", message.id()).put("name", message.key()))))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx, String queueId, String path) {
    String account = Responses.principal(ctx).accountId();
    int limit = limit(ctx);
    String startAfter = ctx.request().getParam("start_after");
    if (startAfter != null && !Ids.isValid(startAfter)) {
      throw RequestJson.invalid(ErrorCode.INVALID_FIELD, "start_after", "must be a message id");
    }
    Future<Void> allowed = queueId == null ? Future.succeededFuture()
        : QueueGrants.check(ctx, Scope.MESSAGES, Scope.READ, account, queueId);
    allowed.compose(v -> engine.listMessages(account, queueId, startAfter, limit))
        .compose(listed -> {
          // The next page starts after the last message read, whether or not this caller may see that one.
          String next = listed.size() == limit ? listed.get(listed.size() - 1).id() : null;
          Future<List<MessageSummary>> shown = queueId != null ? Future.succeededFuture(listed)
              : QueueGrants.visible(ctx, Scope.MESSAGES, Scope.READ, account, listed);
          return shown.map(visible -> page(visible, path, limit, startAfter, next));
        })
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private static JsonObject page(List<MessageSummary> listed, String path, int limit, String startAfter,
      String next) {
    JsonArray messages = new JsonArray();
    listed.forEach(m -> messages.add(new JsonObject().put("id", m.id()).put("name", m.key())
        .put("queue_id", m.queueId())));
    JsonObject links = links(path + "?limit=" + limit + (startAfter == null ? "" : "&start_after=" + startAfter));
    if (next != null) {
      links.put("next", new JsonObject().put("href", path + "?limit=" + limit + "&start_after=" + next));
    }
    return new JsonObject().put("messages", messages).put("_links", links);
  }

  private static int limit(RoutingContext ctx) {
    String value = ctx.request().getParam("limit");
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RequestJson.invalid(ErrorCode.INVALID_FIELD, "limit", "must be a whole number between 1 and " + MAX_LIMIT);
  }

  private static String queueId(RoutingContext ctx) {
    String queueId = ctx.pathParam("queue_id");
    // discue answers 404 for any id that names nothing, whatever its form, as for an unknown well-formed one.
    if (!Ids.isValid(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + queueId + " does not exist");
    }
    return queueId;
  }

  private static String messagePath(String queueId, String messageId) {
    return "/v1/queues/" + queueId + "/messages/" + messageId;
  }

  private static JsonObject links(String self) {
    return new JsonObject().put("self", new JsonObject().put("href", self));
  }
}
