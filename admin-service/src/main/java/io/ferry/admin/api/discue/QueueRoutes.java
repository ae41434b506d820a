package io.ferry.admin.api.discue;

import io.ferry.admin.api.QueueGrants;
import io.ferry.admin.api.Routes;
import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

// discue queues of the caller's account: create and list, and one queue's GET, PUT ({name?, schema?};
// schema: null removes it) and DELETE (with its messages, consumers and listeners). A queue of another
// account is QUEUE_NOT_FOUND.
final class QueueRoutes implements Routes {

  private final QueueService queues;

  QueueRoutes(QueueService queues) {
    this.queues = queues;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.QUEUES, Access.WRITE);
    router.post("/v1/queues").handler(authentication).handler(write).handler(this::create);
    router.get("/v1/queues").handler(authentication).handler(read).handler(this::list);
    router.get("/v1/queues/:queue_id").handler(authentication).handler(read).handler(this::get);
    router.put("/v1/queues/:queue_id").handler(authentication).handler(write).handler(this::update);
    router.delete("/v1/queues/:queue_id").handler(authentication).handler(write).handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = QueueNames.require("name", RequestBody.requiredString(body, "name", "name"));
    JsonObject schema = QueueJson.schema(body);
    caller.check(Resource.QUEUES, Access.WRITE, name);
    queues.create(caller.accountId(), name, QueueSettings.DEFAULTS, schema)
        .onSuccess(queue -> DialectResponses.discue(ctx, 200, QueueJson.queueDocument(queue)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    queues.list(caller.accountId())
        .map(all -> QueueGrants.visible(caller, Resource.QUEUES, Access.READ, all))
        .onSuccess(list -> DialectResponses.discue(ctx, 200, QueueJson.queues(list)))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    queues.get(caller.accountId(), DiscuePaths.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .onSuccess(queue -> DialectResponses.discue(ctx, 200, QueueJson.queueDocument(queue)))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    String queueId = DiscuePaths.queueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = RequestBody.optionalString(body, "name", "name");
    if (name != null) {
      QueueNames.require("name", name);
    }
    boolean replacesSchema = body.containsKey("schema");
    JsonObject schema = QueueJson.schema(body);
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
        .recover(QueueRoutes::nameTaken)
        .onSuccess(queue -> DialectResponses.discue(ctx, 200, QueueJson.queueDocument(queue)))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    queues.get(caller.accountId(), DiscuePaths.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> queues.delete(caller.accountId(), queue.id()).map(queue))
        .onSuccess(queue -> DialectResponses.discue(ctx, 200, QueueJson.deletedQueue(queue)))
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
