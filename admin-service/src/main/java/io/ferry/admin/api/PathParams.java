package io.ferry.admin.api;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.vertx.ext.web.RoutingContext;

// Path parameters shared by the dialects.
final class PathParams {

  private PathParams() {
  }

  static String queueId(RoutingContext ctx) {
    String queueId = ctx.pathParam("queue_id");
    if (!Ids.isValid(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_ID_MALFORMED,
          "queue_id: must be 32 lowercase hexadecimal characters", "queue_id");
    }
    return queueId;
  }

  // discue answers 404 for any id that names nothing, whatever its form; the detail is the one an unknown
  // well-formed id gets, so the two cannot be told apart.
  static String discueId(RoutingContext ctx, String param, String what) {
    String id = ctx.pathParam(param);
    if (!Ids.isValid(id)) {
      throw new FerryException(what.equals("queue") ? ErrorCode.QUEUE_NOT_FOUND : ErrorCode.NOT_FOUND,
          what + " " + id + " not found");
    }
    return id;
  }

  static String discueQueueId(RoutingContext ctx) {
    return discueId(ctx, "queue_id", "queue");
  }
}
