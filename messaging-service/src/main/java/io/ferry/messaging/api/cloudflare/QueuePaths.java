package io.ferry.messaging.api.cloudflare;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.runtime.Authentication;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The queue a Cloudflare route names, under both {@code /client/v4/accounts} and {@code /accounts}. */
final class QueuePaths {

  static final List<String> QUEUES = List.of(
      "/client/v4/accounts/:account_id/queues/:queue_id", "/accounts/:account_id/queues/:queue_id");

  private QueuePaths() {
  }

  static String account(RoutingContext ctx) {
    String account = ctx.pathParam("account_id");
    if (!Authentication.requirePrincipal(ctx).owns(account)) {
      throw new FerryException(ErrorCode.FORBIDDEN, "this credential does not grant access to account " + account);
    }
    return account;
  }

  static String queueId(RoutingContext ctx) {
    String queueId = ctx.pathParam("queue_id");
    if (!Ids.isValid(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_ID_MALFORMED, "queue_id: must be 32 lowercase hex characters",
          "queue_id");
    }
    return queueId;
  }
}
