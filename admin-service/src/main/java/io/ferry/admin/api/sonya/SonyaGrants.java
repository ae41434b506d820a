package io.ferry.admin.api.sonya;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.runtime.Authentication;
import io.vertx.ext.web.RoutingContext;

// Sonya grants target queue names: the queue of the path must be covered, whatever the queue's state.
final class SonyaGrants {

  private SonyaGrants() {
  }

  // The caller's account, once its grants cover the path's queue.
  static String account(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    caller.check(Resource.SONYA, Access.WRITE, ctx.pathParam("queue"));
    return caller.accountId();
  }

  // The caller's account, once it may also listen to every message of the path's queue itself: a queue-wide
  // token never allows more than the credential that asked for it.
  static String queueListener(RoutingContext ctx) {
    String account = account(ctx);
    Authentication.requirePrincipal(ctx).check(Resource.SONYA, Access.READ, ctx.pathParam("queue"));
    return account;
  }
}
