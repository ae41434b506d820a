package io.ferry.contracts.runtime;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Per-route checks of what the principal {@link Authentication} resolved may do. They only read the
 * principal; the target itself (which queue) is checked by the route once it has found it in the caller's
 * account, so that another account's resource is 404, never 403.
 */
public final class Authorization {

  private static final Handler<RoutingContext> AUTHENTICATED = ctx -> {
    Authentication.requirePrincipal(ctx);
    ctx.next();
  };

  private Authorization() {
  }

  /** Any authenticated principal passes; the route checks what it needs itself. */
  public static Handler<RoutingContext> authenticated() {
    return AUTHENTICATED;
  }

  /** The principal must hold a scope granting {@code access} to {@code resource} on at least one target. */
  public static Handler<RoutingContext> require(Resource resource, Access access) {
    return ctx -> {
      Principal principal = Authentication.requirePrincipal(ctx);
      if (!principal.allowsSome(resource, access)) {
        throw new FerryException(ErrorCode.FORBIDDEN,
            "credential does not allow " + access.wire() + " access to " + resource.wire());
      }
      ctx.next();
    };
  }
}
