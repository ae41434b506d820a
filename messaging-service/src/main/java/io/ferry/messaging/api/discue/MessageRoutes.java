package io.ferry.messaging.api.discue;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.ferry.messaging.api.MessageLimits;
import io.ferry.messaging.api.QueueGrants;
import io.ferry.messaging.core.MessageSummary;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.Publication;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * discue's message routes: create ({@code data}: a string stored as text, any other JSON value as json, keyed
 * by name), list the retained messages of a queue or of every queue (paged by {@code limit} and a
 * {@code start_after} message id), and get or delete one message by id.
 */
public final class MessageRoutes {

  private static final int MAX_NAME_LENGTH = 512;
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final MessagingEngine engine;

  public MessageRoutes(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Handler<RoutingContext> authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.MESSAGES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.MESSAGES, Access.WRITE);
    router.post("/v1/queues/:queue_id/messages").handler(authentication).handler(write).handler(this::create);
    router.get("/v1/queues/:queue_id/messages").handler(authentication).handler(read).handler(this::listQueue);
    router.get("/v1/messages").handler(authentication).handler(read).handler(this::listAccount);
    router.get("/v1/queues/:queue_id/messages/:message_id").handler(authentication).handler(read)
        .handler(this::get);
    router.delete("/v1/queues/:queue_id/messages/:message_id").handler(authentication).handler(write)
        .handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    String account = Authentication.requirePrincipal(ctx).accountId();
    String queueId = queueId(ctx);
    JsonObject body = RequestBody.objectOrEmpty(ctx);
    String name = RequestBody.optionalString(body, "name", "name");
    if (name != null && (name.isEmpty() || name.length() > MAX_NAME_LENGTH)) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    NewMessage message = message(name, body.getValue("data"));
    QueueGrants.check(ctx, Resource.MESSAGES, Access.WRITE, account, queueId)
        .compose(v -> engine.publish(Publication.toQueue(account, queueId, List.of(message), null)))
        .onSuccess(result -> DialectResponses.discue(ctx, 200, MessageJson.created(queueId, result.messages().get(0))))
        .onFailure(ctx::fail);
  }

  private void listQueue(RoutingContext ctx) {
    String queueId = queueId(ctx);
    list(ctx, queueId, "/v1/queues/" + queueId + "/messages");
  }

  private void listAccount(RoutingContext ctx) {
    list(ctx, null, "/v1/messages");
  }

  private void get(RoutingContext ctx) {
    String account = Authentication.requirePrincipal(ctx).accountId();
    String queueId = queueId(ctx);
    QueueGrants.check(ctx, Resource.MESSAGES, Access.READ, account, queueId)
        .compose(v -> engine.message(account, queueId, ctx.pathParam("message_id")))
        .onSuccess(message -> DialectResponses.discue(ctx, 200, MessageJson.message(queueId, message)))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String account = Authentication.requirePrincipal(ctx).accountId();
    String queueId = queueId(ctx);
    QueueGrants.check(ctx, Resource.MESSAGES, Access.WRITE, account, queueId)
        .compose(v -> engine.deleteMessage(account, queueId, ctx.pathParam("message_id")))
        .onSuccess(message -> DialectResponses.discue(ctx, 200, MessageJson.deleted(message)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx, String queueId, String path) {
    String account = Authentication.requirePrincipal(ctx).accountId();
    int limit = limit(ctx);
    String startAfter = ctx.request().getParam("start_after");
    if (startAfter != null && !Ids.isValid(startAfter)) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "start_after", "must be a message id");
    }
    Future<Void> allowed = queueId == null ? Future.succeededFuture()
        : QueueGrants.check(ctx, Resource.MESSAGES, Access.READ, account, queueId);
    allowed.compose(v -> engine.listMessages(account, queueId, startAfter, limit))
        .compose(listed -> {
          // The next page starts after the last message read, whether or not this caller may see that one.
          String next = listed.size() == limit ? listed.get(listed.size() - 1).id() : null;
          Future<List<MessageSummary>> shown = queueId != null ? Future.succeededFuture(listed)
              : QueueGrants.visible(ctx, Resource.MESSAGES, Access.READ, account, listed);
          return shown.map(visible -> MessageJson.page(visible, path, limit, startAfter, next));
        })
        .onSuccess(page -> DialectResponses.discue(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  // data is kept as the JSON value sent: a string as text, anything else as json, so that a queue's schema
  // and every reader see the same value the producer sent.
  private static NewMessage message(String name, Object data) {
    if (data == null) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "data", "is required");
    }
    boolean text = data instanceof String;
    byte[] bytes = (text ? (String) data : Json.encode(data)).getBytes(StandardCharsets.UTF_8);
    MessageLimits.checkMessageSize(bytes, "data");
    return new NewMessage(name, text ? ContentType.TEXT : ContentType.JSON, bytes, null);
  }

  // Unlike RequestBody.queryInteger, an empty or padded limit is refused, as it always has been here.
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
    throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "limit", "must be a whole number between 1 and " + MAX_LIMIT);
  }

  private static String queueId(RoutingContext ctx) {
    String queueId = ctx.pathParam("queue_id");
    // discue answers 404 for any id that names nothing, whatever its form, as for an unknown well-formed one.
    if (!Ids.isValid(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + queueId + " does not exist");
    }
    return queueId;
  }
}
