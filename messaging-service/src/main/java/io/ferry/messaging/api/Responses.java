package io.ferry.messaging.api;

import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.BusAuthHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON success responses, and the caller's principal. */
final class Responses {

  private Responses() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    boolean pretty = "true".equals(ctx.request().getParam("pretty"));
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(pretty ? io.vertx.core.buffer.Buffer.buffer(body.encodePrettily()) : body.toBuffer());
  }

  static Principal principal(RoutingContext ctx) {
    Principal principal = BusAuthHandler.principal(ctx);
    if (principal == null) {
      throw new FerryException(ErrorCode.UNAUTHENTICATED, "authentication required");
    }
    return principal;
  }
}
