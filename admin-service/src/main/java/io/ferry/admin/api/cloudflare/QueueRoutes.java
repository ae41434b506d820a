package io.ferry.admin.api.cloudflare;

import io.ferry.admin.api.QueueGrants;
import io.ferry.admin.api.Routes;
import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.Views;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

// Cloudflare queues: create and list, and one queue's GET, PUT (full overwrite), PATCH (partial), DELETE and
// purge. Each needs a queues grant covering the queue.
final class QueueRoutes implements Routes {

  private final QueueService queues;
  private final Views views;

  QueueRoutes(QueueService queues, Views views) {
    this.queues = queues;
    this.views = views;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.QUEUES, Access.WRITE);
    for (String prefix : CloudflarePaths.PREFIXES) {
      String all = prefix + "/:account_id/queues";
      String one = all + "/:queue_id";
      router.post(all).handler(authentication).handler(write).handler(this::create);
      router.get(all).handler(authentication).handler(read).handler(this::list);
      router.get(one).handler(authentication).handler(read).handler(this::get);
      router.put(one).handler(authentication).handler(write).handler(this::replace);
      router.patch(one).handler(authentication).handler(write).handler(this::edit);
      router.delete(one).handler(authentication).handler(write).handler(this::delete);
      router.post(one + "/purge").handler(authentication).handler(write).handler(this::purge);
      router.get(one + "/purge").handler(authentication).handler(read).handler(this::purgeStatus);
    }
  }

  private void create(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = QueueNames.require("queue_name", RequestBody.requiredString(body, "queue_name", "queue_name"));
    caller.check(Resource.QUEUES, Access.WRITE, name);
    queues.create(caller.accountId(), name, QueueJson.settings(body))
        .compose(views::queue)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, QueueJson.queue(view)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    int page = Pages.page(ctx);
    Integer askedPerPage = ctx.request().getParam("per_page") == null ? null
        : Pages.perPage(ctx, Pages.MAX_PER_PAGE);
    queues.list(caller.accountId())
        .map(all -> QueueGrants.visible(caller, Resource.QUEUES, Access.READ, all))
        .compose(all -> {
          // The SDK reads this list as a single page and never asks for a second: without per_page, all of it.
          int perPage = askedPerPage != null ? askedPerPage : Math.max(1, all.size());
          return views.queues(Pages.slice(all, page, perPage)).onSuccess(pageViews -> {
            JsonArray items = new JsonArray();
            pageViews.forEach(view -> items.add(QueueJson.queue(view)));
            DialectResponses.cloudflarePage(ctx, items, page, perPage, all.size());
          });
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    queues.get(caller.accountId(), CloudflarePaths.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .compose(views::queue)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, QueueJson.queue(view)))
        .onFailure(ctx::fail);
  }

  // Every setting the body leaves out goes back to its default; a left-out queue_name keeps the name.
  private void replace(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    String queueId = CloudflarePaths.queueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = newName(body);
    QueueSettings settings = QueueJson.settings(body);
    update(ctx, caller, queueId, name, current -> settings);
  }

  private void edit(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    String queueId = CloudflarePaths.queueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = newName(body);
    QueueJson.settings(body); // refuses bad settings before anything is looked up
    update(ctx, caller, queueId, name, current -> QueueJson.settings(body, current.settings()));
  }

  private void delete(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    queues.get(caller.accountId(), CloudflarePaths.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> queues.delete(caller.accountId(), queue.id()))
        .onSuccess(v -> DialectResponses.cloudflare(ctx, null))
        .onFailure(ctx::fail);
  }

  private void purge(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    String queueId = CloudflarePaths.queueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    // Cloudflare makes the caller say it out loud: a purge cannot be undone.
    if (!RequestBody.bool(body, "delete_messages_permanently", "delete_messages_permanently", false)) {
      throw FerryException.invalidField("delete_messages_permanently", "must be true to purge the queue");
    }
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> queues.purge(caller.accountId(), queueId))
        .compose(views::queue)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, QueueJson.queue(view)))
        .onFailure(ctx::fail);
  }

  private void purgeStatus(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    queues.get(caller.accountId(), CloudflarePaths.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .compose(queue -> queues.purgeStatus(caller.accountId(), queue.id()))
        .onSuccess(status -> DialectResponses.cloudflare(ctx, QueueJson.purgeStatus(status)))
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
        .onSuccess(view -> DialectResponses.cloudflare(ctx, QueueJson.queue(view)))
        .onFailure(ctx::fail);
  }

  private static String newName(JsonObject body) {
    String name = RequestBody.optionalString(body, "queue_name", "queue_name");
    return name == null ? null : QueueNames.require("queue_name", name);
  }
}
