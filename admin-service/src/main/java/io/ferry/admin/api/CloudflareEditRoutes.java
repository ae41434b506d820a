package io.ferry.admin.api;

import io.ferry.admin.core.ConsumerService;
import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.Views;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Cloudflare-Queues routes that change what exists, under both prefixes of {@link CloudflareRoutes}: PUT
 * (full overwrite) and PATCH (partial) of a queue, and GET / PUT (upsert) / DELETE of one consumer.
 */
public final class CloudflareEditRoutes {

  private final QueueService queues;
  private final ConsumerService consumers;
  private final Views views;

  public CloudflareEditRoutes(QueueService queues, ConsumerService consumers, Views views) {
    this.queues = queues;
    this.consumers = consumers;
    this.views = views;
  }

  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.QUEUES, Access.WRITE);
    for (String prefix : CloudflareRoutes.PREFIXES) {
      String queuePath = prefix + "/:account_id/queues/:queue_id";
      String consumerPath = queuePath + "/consumers/:consumer_id";
      router.put(queuePath).handler(authentication).handler(write).handler(this::replaceQueue);
      router.patch(queuePath).handler(authentication).handler(write).handler(this::editQueue);
      router.get(consumerPath).handler(authentication).handler(read).handler(this::getConsumer);
      router.put(consumerPath).handler(authentication).handler(write).handler(this::upsertConsumer);
      router.delete(consumerPath).handler(authentication).handler(write).handler(this::deleteConsumer);
    }
  }

  // Every setting the body leaves out goes back to its default; a left-out queue_name keeps the name.
  private void replaceQueue(RoutingContext ctx) {
    Principal caller = CloudflareRoutes.owner(ctx);
    String queueId = PathParams.queueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = newName(body);
    QueueSettings settings = CloudflareJson.queueSettings(body);
    update(ctx, caller, queueId, name, current -> settings);
  }

  private void editQueue(RoutingContext ctx) {
    Principal caller = CloudflareRoutes.owner(ctx);
    String queueId = PathParams.queueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = newName(body);
    CloudflareJson.queueSettings(body); // refuses bad settings before anything is looked up
    update(ctx, caller, queueId, name, current -> CloudflareJson.queueSettings(body, current.settings()));
  }

  private void getConsumer(RoutingContext ctx) {
    Principal caller = CloudflareRoutes.owner(ctx);
    String queueId = PathParams.queueId(ctx);
    String consumerId = consumerId(ctx);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .compose(queue -> consumers.get(queue, consumerId))
        .compose(views::consumer)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, CloudflareJson.consumer(view)))
        .onFailure(ctx::fail);
  }

  // Validated exactly like a create; an existing consumer gets the body's settings (left-out ones: defaults).
  private void upsertConsumer(RoutingContext ctx) {
    Principal caller = CloudflareRoutes.owner(ctx);
    String queueId = PathParams.queueId(ctx);
    String consumerId = consumerId(ctx);
    CloudflareJson.ConsumerRequest request = CloudflareJson.consumerRequest(RequestBody.object(ctx), caller);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> consumers.upsertPull(queue, consumerId, request.deadLetterQueue(), request.settings()))
        .compose(views::consumer)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, CloudflareJson.consumer(view)))
        .onFailure(ctx::fail);
  }

  private void deleteConsumer(RoutingContext ctx) {
    Principal caller = CloudflareRoutes.owner(ctx);
    String queueId = PathParams.queueId(ctx);
    String consumerId = consumerId(ctx);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> consumers.delete(queue, consumerId))
        .onSuccess(v -> DialectResponses.cloudflare(ctx, null))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx, Principal caller, String queueId, String name,
      Function<QueueInfo, QueueSettings> settings) {
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(current -> {
          if (name != null && !name.equals(current.name())) {
            QueueGrants.requireNameGrant(caller, name);
          }
          return queues.update(current, name == null ? current.name() : name, settings.apply(current));
        })
        .compose(views::queue)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, CloudflareJson.queue(view)))
        .onFailure(ctx::fail);
  }

  private static String newName(JsonObject body) {
    String name = RequestBody.optionalString(body, "queue_name", "queue_name");
    return name == null ? null : QueueNames.require("queue_name", name);
  }

  private static String consumerId(RoutingContext ctx) {
    String consumerId = ctx.pathParam("consumer_id");
    if (!Ids.isValid(consumerId)) {
      throw FerryException.invalidField("consumer_id", "must be 32 lowercase hexadecimal characters");
    }
    return consumerId;
  }
}
