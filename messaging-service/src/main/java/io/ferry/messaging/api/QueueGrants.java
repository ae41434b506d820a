package io.ferry.messaging.api;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.messaging.core.MessageSummary;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Per-queue scope checks of the message routes. A grant for every queue, or for the queue's id, is decided
 * here; a grant by queue name needs the name, which admin-service owns, so only then is the queue looked
 * up (as the caller's account: another account's queue is QUEUE_NOT_FOUND, never FORBIDDEN).
 */
public final class QueueGrants {

  private QueueGrants() {
  }

  /** Succeeds when the caller may {@code access} {@code resource} of the queue; else FORBIDDEN or QUEUE_NOT_FOUND. */
  public static Future<Void> check(RoutingContext ctx, Resource resource, Access access, String accountId,
      String queueId) {
    Principal caller = Authentication.requirePrincipal(ctx);
    if (caller.allows(resource, access, queueId)) {
      return Future.succeededFuture();
    }
    return Bus.request(ctx.vertx(), Endpoints.QUEUE_LOOKUP, QueueLookup.byId(accountId, queueId))
        .map(queue -> {
          caller.check(resource, access, queue.id(), queue.name());
          return null;
        });
  }

  /** The messages of an account-wide listing whose queues the caller may {@code access}. */
  public static Future<List<MessageSummary>> visible(RoutingContext ctx, Resource resource, Access access,
      String accountId, List<MessageSummary> messages) {
    Principal caller = Authentication.requirePrincipal(ctx);
    if (caller.allows(resource, access)) {
      return Future.succeededFuture(messages);
    }
    Set<String> queueIds = new HashSet<>();
    messages.forEach(message -> queueIds.add(message.queueId()));
    List<Future<QueueInfo>> lookups = new ArrayList<>();
    for (String queueId : queueIds) {
      lookups.add(Bus.request(ctx.vertx(), Endpoints.QUEUE_LOOKUP, QueueLookup.byId(accountId, queueId)));
    }
    // A queue deleted meanwhile simply drops out of the listing.
    return Future.join(lookups).otherwiseEmpty().map(done -> {
      Set<String> allowed = new HashSet<>();
      for (Future<QueueInfo> lookup : lookups) {
        QueueInfo queue = lookup.result();
        if (lookup.succeeded() && caller.allows(resource, access, queue.id(), queue.name())) {
          allowed.add(queue.id());
        }
      }
      return messages.stream().filter(message -> allowed.contains(message.queueId())).toList();
    });
  }
}
