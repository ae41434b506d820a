package io.ferry.contracts.runtime;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;

/**
 * Authentication followed by one authorisation check, for routes not yet split into the two. Replaced by
 * {@link Authentication} + {@link Authorization}; kept only until every router uses those.
 */
@Deprecated
public final class BusAuthHandler implements Handler<RoutingContext> {

  private final Authentication authentication;
  private final Handler<RoutingContext> authorization;

  private BusAuthHandler(Vertx vertx, Handler<RoutingContext> authorization) {
    this.authentication = Authentication.of(vertx);
    this.authorization = authorization;
  }

  public static BusAuthHandler create(Vertx vertx, String resource, String access) {
    return new BusAuthHandler(vertx, Authorization.require(
        Arrays.stream(Resource.values()).filter(r -> r.wire().equals(resource)).findFirst().orElseThrow(),
        Arrays.stream(Access.values()).filter(a -> a.wire().equals(access)).findFirst().orElseThrow()));
  }

  public static BusAuthHandler create(Vertx vertx, String scope) {
    return new BusAuthHandler(vertx, Authorization.authenticated());
  }

  public static Principal principal(RoutingContext ctx) {
    return Authentication.principal(ctx);
  }

  public static String credential(HttpServerRequest request) {
    return Authentication.credential(request);
  }

  @Override
  public void handle(RoutingContext ctx) {
    authentication.authenticate(ctx.request()).onSuccess(principal -> {
      ctx.put("ferry.principal", principal);
      try {
        authorization.handle(ctx);
      } catch (RuntimeException refused) {
        ctx.fail(refused);
      }
    }).onFailure(ctx::fail);
  }
}
