package io.ferry.admin.api.cloudflare;

import io.ferry.admin.api.QueueGrants;
import io.ferry.admin.api.Routes;
import io.ferry.admin.core.ConsumerService;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.Views;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

// Cloudflare's http_pull consumers of a queue: create and list, and one consumer's GET, PUT (upsert) and DELETE.
// They need the queues grant covering their queue.
final class ConsumerRoutes implements Routes {

  private final QueueService queues;
  private final ConsumerService consumers;
  private final Views views;

  ConsumerRoutes(QueueService queues, ConsumerService consumers, Views views) {
    this.queues = queues;
    this.consumers = consumers;
    this.views = views;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.QUEUES, Access.WRITE);
    for (String prefix : CloudflarePaths.PREFIXES) {
      String all = prefix + "/:account_id/queues/:queue_id/consumers";
      String one = all + "/:consumer_id";
      router.post(all).handler(authentication).handler(write).handler(this::create);
      router.get(all).handler(authentication).handler(read).handler(this::list);
      router.get(one).handler(authentication).handler(read).handler(this::get);
      router.put(one).handler(authentication).handler(write).handler(this::upsert);
      router.delete(one).handler(authentication).handler(write).handler(this::delete);
    }
  }

  private void create(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    String queueId = CloudflarePaths.queueId(ctx);
    ConsumerJson.Request request = ConsumerJson.request(RequestBody.object(ctx), caller);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> consumers.createPull(caller.accountId(), queueId, request.deadLetterQueue(),
            request.settings()))
        .compose(views::consumer)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, ConsumerJson.consumer(view)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    queues.get(caller.accountId(), CloudflarePaths.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .compose(queue -> consumers.list(caller.accountId(), queue.id()))
        .compose(views::consumers)
        .onSuccess(list -> {
          JsonArray items = new JsonArray();
          list.forEach(view -> items.add(ConsumerJson.consumer(view)));
          DialectResponses.cloudflare(ctx, items);
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    String queueId = CloudflarePaths.queueId(ctx);
    String consumerId = CloudflarePaths.consumerId(ctx);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .compose(queue -> consumers.get(queue, consumerId))
        .compose(views::consumer)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, ConsumerJson.consumer(view)))
        .onFailure(ctx::fail);
  }

  // Validated exactly like a create; an existing consumer gets the body's settings (left-out ones: defaults).
  private void upsert(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    String queueId = CloudflarePaths.queueId(ctx);
    String consumerId = CloudflarePaths.consumerId(ctx);
    ConsumerJson.Request request = ConsumerJson.request(RequestBody.object(ctx), caller);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> consumers.upsertPull(queue, consumerId, request.deadLetterQueue(), request.settings()))
        .compose(views::consumer)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, ConsumerJson.consumer(view)))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    String queueId = CloudflarePaths.queueId(ctx);
    String consumerId = CloudflarePaths.consumerId(ctx);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> consumers.delete(queue, consumerId))
        .onSuccess(v -> DialectResponses.cloudflare(ctx, null))
        .onFailure(ctx::fail);
  }
}
