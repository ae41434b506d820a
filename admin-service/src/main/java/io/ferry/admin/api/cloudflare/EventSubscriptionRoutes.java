package io.ferry.admin.api.cloudflare;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.EventSubscriptionService;
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
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Consumer;

// Cloudflare event subscriptions (/event_subscriptions/subscriptions). They need the queues grant for their
// destination queue: read to see one, write to create, change or delete one; creating or changing one also
// needs events:read:*.
final class EventSubscriptionRoutes implements Routes {

  private static final int DEFAULT_PER_PAGE = 20;
  private static final List<String> DIRECTIONS = List.of("asc", "desc");

  private final EventSubscriptionService subscriptions;

  EventSubscriptionRoutes(EventSubscriptionService subscriptions) {
    this.subscriptions = subscriptions;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.QUEUES, Access.WRITE);
    for (String prefix : CloudflarePaths.PREFIXES) {
      String path = prefix + "/:account_id/event_subscriptions/subscriptions";
      router.post(path).handler(authentication).handler(write).handler(this::create);
      router.get(path).handler(authentication).handler(read).handler(this::list);
      router.get(path + "/:subscription_id").handler(authentication).handler(read).handler(this::get);
      router.patch(path + "/:subscription_id").handler(authentication).handler(write).handler(this::update);
      router.delete(path + "/:subscription_id").handler(authentication).handler(write).handler(this::delete);
    }
  }

  private void create(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    requireEveryEvent(caller);
    EventSubscriptionService.Changes spec = EventSubscriptionJson.changes(RequestBody.object(ctx), true);
    subscriptions.create(caller.accountId(), spec, allowed(caller, Access.WRITE))
        .onSuccess(created -> DialectResponses.cloudflare(ctx, EventSubscriptionJson.subscription(created)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    int page = Pages.page(ctx);
    int perPage = Pages.perPage(ctx, DEFAULT_PER_PAGE);
    String direction = oneOf(ctx, "direction", DIRECTIONS, "asc");
    String order = oneOf(ctx, "order", EventSubscriptionService.ORDERS, "created_at");
    subscriptions.list(caller.accountId(), order, direction.equals("desc"), page, perPage,
            queue -> caller.allows(Resource.QUEUES, Access.READ, queue.id(), queue.name()))
        .onSuccess(found -> {
          JsonArray items = new JsonArray();
          found.items().forEach(subscription -> items.add(EventSubscriptionJson.subscription(subscription)));
          DialectResponses.cloudflarePage(ctx, items, page, perPage, found.totalCount());
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    subscriptions.get(caller.accountId(), CloudflarePaths.subscriptionId(ctx), allowed(caller, Access.READ))
        .onSuccess(found -> DialectResponses.cloudflare(ctx, EventSubscriptionJson.subscription(found)))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    requireEveryEvent(caller);
    String subscriptionId = CloudflarePaths.subscriptionId(ctx);
    EventSubscriptionService.Changes changes = EventSubscriptionJson.changes(RequestBody.object(ctx), false);
    subscriptions.update(caller.accountId(), subscriptionId, changes, allowed(caller, Access.WRITE))
        .onSuccess(updated -> DialectResponses.cloudflare(ctx, EventSubscriptionJson.subscription(updated)))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Principal caller = CloudflarePaths.owner(ctx);
    subscriptions.delete(caller.accountId(), CloudflarePaths.subscriptionId(ctx), allowed(caller, Access.WRITE))
        .onSuccess(deleted -> DialectResponses.cloudflare(ctx, EventSubscriptionJson.subscription(deleted)))
        .onFailure(ctx::fail);
  }

  // A subscription copies events about every queue of the account (names, ids, listeners) into its
  // destination: setting one up needs what reading the whole audit trail needs, not just a grant for the
  // destination, or a credential confined to one queue could watch all the others.
  private static void requireEveryEvent(Principal caller) {
    if (!caller.allows(Resource.EVENTS, Access.READ)) {
      throw new FerryException(ErrorCode.FORBIDDEN, "creating or changing an event subscription needs "
          + "events:read:* as well: it receives the events of every queue of the account");
    }
  }

  private static Consumer<QueueInfo> allowed(Principal caller, Access access) {
    return queue -> caller.check(Resource.QUEUES, access, queue.id(), queue.name());
  }

  private static String oneOf(RoutingContext ctx, String name, List<String> allowed, String defaultValue) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    if (!allowed.contains(value)) {
      throw FerryException.invalidField(name, "must be one of " + String.join(", ", allowed));
    }
    return value;
  }
}
