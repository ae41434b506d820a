package io.ferry.admin.api.cloudflare;

import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.runtime.Authentication;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

// What the Cloudflare routes read from their paths: the account, which must be the caller's own, and ids.
final class CloudflarePaths {

  // The SDKs' base URL, and the same routes without it.
  static final List<String> PREFIXES = List.of("/client/v4/accounts", "/accounts");

  private CloudflarePaths() {
  }

  // The caller, when the path's account is theirs; other accounts are forbidden without saying more.
  static Principal owner(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    if (!caller.owns(ctx.pathParam("account_id"))) {
      throw new FerryException(ErrorCode.FORBIDDEN, "the credential does not grant access to this account");
    }
    return caller;
  }

  static String queueId(RoutingContext ctx) {
    String queueId = ctx.pathParam("queue_id");
    if (!Ids.isValid(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_ID_MALFORMED,
          "queue_id: must be 32 lowercase hexadecimal characters", "queue_id");
    }
    return queueId;
  }

  static String consumerId(RoutingContext ctx) {
    return id(ctx, "consumer_id");
  }

  static String subscriptionId(RoutingContext ctx) {
    return id(ctx, "subscription_id");
  }

  private static String id(RoutingContext ctx, String param) {
    String id = ctx.pathParam(param);
    if (!Ids.isValid(id)) {
      throw FerryException.invalidField(param, "must be 32 lowercase hexadecimal characters");
    }
    return id;
  }
}
