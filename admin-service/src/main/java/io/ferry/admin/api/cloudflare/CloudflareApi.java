package io.ferry.admin.api.cloudflare;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.AccountService;
import io.ferry.admin.core.ConsumerService;
import io.ferry.admin.core.EventSubscriptionService;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.Views;
import java.util.List;

/**
 * The Cloudflare-Queues admin routes, under both {@code /client/v4/accounts} (the SDKs' base URL) and
 * {@code /accounts}; the path's account must be the caller's own.
 */
public final class CloudflareApi {

  private CloudflareApi() {
  }

  public static List<Routes> routes(AccountService accounts, QueueService queues, ConsumerService consumers,
      Views views, EventSubscriptionService subscriptions) {
    return List.of(
        new AccountRoutes(accounts),
        new QueueRoutes(queues, views),
        new ConsumerRoutes(queues, consumers, views),
        new EventSubscriptionRoutes(subscriptions));
  }
}
