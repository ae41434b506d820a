package io.ferry.admin.api.discue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.vertx.ext.web.RoutingContext;

// Ids in discue paths.
final class DiscuePaths {

  private DiscuePaths() {
  }

  // discue answers 404 for any id that names nothing, whatever its form; the detail is the one an unknown
  // well-formed id gets, so the two cannot be told apart.
  static String id(RoutingContext ctx, String param, String what) {
    String id = ctx.pathParam(param);
    if (!Ids.isValid(id)) {
      throw new FerryException(what.equals("queue") ? ErrorCode.QUEUE_NOT_FOUND : ErrorCode.NOT_FOUND,
          what + " " + id + " not found");
    }
    return id;
  }

  static String queueId(RoutingContext ctx) {
    return id(ctx, "queue_id", "queue");
  }
}
