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
}
