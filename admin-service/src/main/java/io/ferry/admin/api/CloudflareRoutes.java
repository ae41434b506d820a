package io.ferry.admin.api;

import io.ferry.admin.core.AccountService;
import io.ferry.admin.core.ConsumerService;
import io.ferry.admin.core.QueueNames;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.Views;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Cloudflare-Queues admin routes, under both {@code /client/v4/accounts} (the SDKs' base URL) and
 * {@code /accounts}. The path's account must be the caller's own.
 */
public final class CloudflareRoutes {

  static final List<String> PREFIXES = List.of("/client/v4/accounts", "/accounts");
  private static final int DEFAULT_ACCOUNTS_PER_PAGE = 20;
  private static final int MAX_PER_PAGE = 1_000;

  private final AccountService accounts;
  private final QueueService queues;
  private final ConsumerService consumers;
  private final Views views;

  public CloudflareRoutes(AccountService accounts, QueueService queues, ConsumerService consumers, Views views) {
    this.accounts = accounts;
    this.queues = queues;
    this.consumers = consumers;
    this.views = views;
  }

  public void mount(Router router, Authentication authentication) {
    // Any valid credential may discover its account; queue routes need a queues grant (checked per queue).
    Handler<RoutingContext> anyone = Authorization.authenticated();
    Handler<RoutingContext> read = Authorization.require(Resource.QUEUES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.QUEUES, Access.WRITE);
    for (String prefix : PREFIXES) {
      String queuesPath = prefix + "/:account_id/queues";
      router.get(prefix).handler(authentication).handler(anyone).handler(this::listAccounts);
      router.post(queuesPath).handler(authentication).handler(write).handler(this::createQueue);
      router.get(queuesPath).handler(authentication).handler(read).handler(this::listQueues);
      router.get(queuesPath + "/:queue_id").handler(authentication).handler(read).handler(this::getQueue);
      router.delete(queuesPath + "/:queue_id").handler(authentication).handler(write).handler(this::deleteQueue);
      router.post(queuesPath + "/:queue_id/purge").handler(authentication).handler(write).handler(this::purgeQueue);
      router.get(queuesPath + "/:queue_id/purge").handler(authentication).handler(read).handler(this::purgeStatus);
      router.post(queuesPath + "/:queue_id/consumers").handler(authentication).handler(write).handler(this::createConsumer);
      router.get(queuesPath + "/:queue_id/consumers").handler(authentication).handler(read).handler(this::listConsumers);
    }
  }

  // The SDK pages through accounts until a page is empty, so this list must be paged like the others.
  private void listAccounts(RoutingContext ctx) {
    int page = RequestBody.queryInteger(ctx, "page", 1, Integer.MAX_VALUE, 1);
    int perPage = RequestBody.queryInteger(ctx, "per_page", 1, MAX_PER_PAGE, DEFAULT_ACCOUNTS_PER_PAGE);
    accounts.visibleTo(Authentication.requirePrincipal(ctx))
        .onSuccess(all -> {
          JsonArray items = new JsonArray();
          slice(all, page, perPage).forEach(account -> items.add(CloudflareJson.account(account)));
          DialectResponses.cloudflarePage(ctx, items, page, perPage, all.size());
        })
        .onFailure(ctx::fail);
  }

  private void createQueue(RoutingContext ctx) {
    Principal caller = owner(ctx);
    JsonObject body = RequestBody.object(ctx);
    String name = QueueNames.require("queue_name", RequestBody.requiredString(body, "queue_name", "queue_name"));
    caller.check(Resource.QUEUES, Access.WRITE, name);
    queues.create(caller.accountId(), name, CloudflareJson.queueSettings(body))
        .compose(views::queue)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, CloudflareJson.queue(view)))
        .onFailure(ctx::fail);
  }

  private void listQueues(RoutingContext ctx) {
    Principal caller = owner(ctx);
    int page = RequestBody.queryInteger(ctx, "page", 1, Integer.MAX_VALUE, 1);
    Integer askedPerPage = ctx.request().getParam("per_page") == null ? null
        : RequestBody.queryInteger(ctx, "per_page", 1, MAX_PER_PAGE, MAX_PER_PAGE);
    queues.list(caller.accountId())
        .map(all -> QueueGrants.visible(caller, Resource.QUEUES, Access.READ, all))
        .compose(all -> {
          // The SDK reads this list as a single page and never asks for a second: without per_page, all of it.
          int perPage = askedPerPage != null ? askedPerPage : Math.max(1, all.size());
          return views.queues(slice(all, page, perPage)).onSuccess(pageViews -> {
            JsonArray items = new JsonArray();
            pageViews.forEach(view -> items.add(CloudflareJson.queue(view)));
            DialectResponses.cloudflarePage(ctx, items, page, perPage, all.size());
          });
        })
        .onFailure(ctx::fail);
  }

  private void getQueue(RoutingContext ctx) {
    Principal caller = owner(ctx);
    queues.get(caller.accountId(), PathParams.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .compose(views::queue)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, CloudflareJson.queue(view)))
        .onFailure(ctx::fail);
  }

  private void deleteQueue(RoutingContext ctx) {
    Principal caller = owner(ctx);
    queues.get(caller.accountId(), PathParams.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> queues.delete(caller.accountId(), queue.id()))
        .onSuccess(v -> DialectResponses.cloudflare(ctx, null))
        .onFailure(ctx::fail);
  }

  private void purgeQueue(RoutingContext ctx) {
    Principal caller = owner(ctx);
    String queueId = PathParams.queueId(ctx);
    JsonObject body = RequestBody.object(ctx);
    // Cloudflare makes the caller say it out loud: a purge cannot be undone.
    if (!RequestBody.bool(body, "delete_messages_permanently", "delete_messages_permanently", false)) {
      throw FerryException.invalidField("delete_messages_permanently", "must be true to purge the queue");
    }
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> queues.purge(caller.accountId(), queueId))
        .compose(views::queue)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, CloudflareJson.queue(view)))
        .onFailure(ctx::fail);
  }

  private void purgeStatus(RoutingContext ctx) {
    Principal caller = owner(ctx);
    queues.get(caller.accountId(), PathParams.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .compose(queue -> queues.purgeStatus(caller.accountId(), queue.id()))
        .onSuccess(status -> DialectResponses.cloudflare(ctx, CloudflareJson.purgeStatus(status)))
        .onFailure(ctx::fail);
  }

  private void createConsumer(RoutingContext ctx) {
    Principal caller = owner(ctx);
    String queueId = PathParams.queueId(ctx);
    CloudflareJson.ConsumerRequest request = CloudflareJson.consumerRequest(RequestBody.object(ctx), caller);
    queues.get(caller.accountId(), queueId)
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.WRITE))
        .compose(queue -> consumers.createPull(caller.accountId(), queueId, request.deadLetterQueue(),
            request.settings()))
        .compose(views::consumer)
        .onSuccess(view -> DialectResponses.cloudflare(ctx, CloudflareJson.consumer(view)))
        .onFailure(ctx::fail);
  }

  private void listConsumers(RoutingContext ctx) {
    Principal caller = owner(ctx);
    queues.get(caller.accountId(), PathParams.queueId(ctx))
        .map(QueueGrants.checked(caller, Resource.QUEUES, Access.READ))
        .compose(queue -> consumers.list(caller.accountId(), queue.id()))
        .compose(views::consumers)
        .onSuccess(list -> {
          JsonArray items = new JsonArray();
          list.forEach(view -> items.add(CloudflareJson.consumer(view)));
          DialectResponses.cloudflare(ctx, items);
        })
        .onFailure(ctx::fail);
  }

  // Page {@code page} (from 1) of {@code all}; empty past the end.
  private static <T> List<T> slice(List<T> all, int page, int perPage) {
    long from = Math.min((long) (page - 1) * perPage, all.size());
    return all.subList((int) from, (int) Math.min(from + perPage, all.size()));
  }

  // The caller, when the path's account is theirs; other accounts are forbidden without saying more.
  static Principal owner(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    if (!caller.owns(ctx.pathParam("account_id"))) {
      throw new FerryException(ErrorCode.FORBIDDEN, "the credential does not grant access to this account");
    }
    return caller;
  }
}
