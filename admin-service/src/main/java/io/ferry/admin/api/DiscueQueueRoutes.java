package io.ferry.admin.api;

import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.ferry.contracts.schema.MessageSchema;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * discue routes of one queue: GET, PUT ({@code {name?, schema?}}; {@code schema: null} removes it) and
 * DELETE (with its messages, consumers and listeners). A queue of another account is QUEUE_NOT_FOUND.
 */
public final class DiscueQueueRoutes {

  private final QueueService queues;

  public DiscueQueueRoutes(QueueService queues) {
    this.queues = queues;
  }

  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.QUEUES, Access.WRITE);
    router.get("/v1/queues/:queue_id").handler(authentication).handler(read).handler(this::getQueue);
    router.put("/v1/queues/:queue_id").handler(authentication).handler(write).handler(this::updateQueue);
    router.delete("/v1/queues/:queue_id").handler(authentication).handler(write).handler(this::deleteQueue);
  }

  /**
   * The body's {@code schema}: {@code null} when absent or null, else compiled to check it (a 400 naming the
   * path inside it) and kept as the client sent it.
   */
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

  private void getQueue(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    queues.get(caller.accountId(), PathParams.discueQueueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .onSuccess(queue -> DialectResponses.discue(ctx, 200, DiscueJson.queueDocument(queue)))
        .onFailure(ctx::fail);
  }

  private void updateQueue(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    String queueId = PathParams.discueQueueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = RequestBody.optionalString(body, "name", "name");
    if (name != null) {
      QueueNames.require("name", name);
    }
    boolean replacesSchema = body.containsKey("schema");
    JsonObject schema = schema(body);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(current -> {
          if (name != null && !name.equals(current.name())) {
            QueueGrants.requireNameGrant(caller, name);
          }
          return queues.update(current, new QueueInfo(current.id(), current.accountId(),
              name != null ? name : current.name(), current.createdAtMs(), System.currentTimeMillis(),
              current.settings(), replacesSchema ? schema : current.schema()));
        })
        .recover(DiscueQueueRoutes::nameTaken)
        .onSuccess(queue -> DialectResponses.discue(ctx, 200, DiscueJson.queueDocument(queue)))
        .onFailure(ctx::fail);
  }

  private void deleteQueue(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    queues.get(caller.accountId(), PathParams.discueQueueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> queues.delete(caller.accountId(), queue.id()).map(queue))
        .onSuccess(queue -> DialectResponses.discue(ctx, 200, DiscueJson.deletedQueue(queue)))
        .onFailure(ctx::fail);
  }

  // The store names Cloudflare's field; this dialect calls it name.
  private static Future<QueueInfo> nameTaken(Throwable failure) {
    if (failure instanceof FerryException fe && fe.code() == ErrorCode.NAME_TAKEN) {
      String message = fe.getMessage().startsWith("queue_name: ") ? fe.getMessage().substring(12) : fe.getMessage();
      return Future.failedFuture(new FerryException(ErrorCode.NAME_TAKEN, "name: " + message, "name"));
    }
    return Future.failedFuture(failure);
  }
}
