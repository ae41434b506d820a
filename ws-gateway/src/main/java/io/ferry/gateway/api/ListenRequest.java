package io.ferry.gateway.api;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.gateway.core.StartPosition;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * What a Sonya listen request (WebSocket or long poll) asks for, validated, and checked against what the
 * caller's credential allows — all before anything is opened, so every failure is a plain HTTP answer.
 *
 * @param key the id of an id route, or {@code null} on a queue route
 */
record ListenRequest(Principal principal, String queueName, String key, StartPosition start) {

  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._~/-]{1,128}");
  private static final int MAX_ID_LENGTH = 512;
  private static final int ECHO_LIMIT = 40;

  static ListenRequest read(RoutingContext ctx, boolean keyed) {
    String queueName = ctx.pathParam("queue");
    if (!QUEUE_NAME.matcher(queueName).matches()) {
      throw FerryException.invalidField("queue", "must be 1-128 characters of A-Z a-z 0-9 . _ ~ / -");
    }
    String key = keyed ? ctx.pathParam("id") : null;
    if (keyed && (key.isEmpty() || key.length() > MAX_ID_LENGTH)) {
      throw FerryException.invalidField("id", "must be 1 to " + MAX_ID_LENGTH + " characters");
    }
    StartPosition start = StartPosition.parse(ctx.request().getParam("sequence"));
    Principal principal = Authentication.requirePrincipal(ctx);
    requireAccess(principal, queueName, key);
    return new ListenRequest(principal, queueName, key, start);
  }

  /**
   * Reads {@code ?timeout_ms}: a whole number of milliseconds from 0 to {@code maxMs}; absent means 30 s
   * (or {@code maxMs} when that is lower).
   */
  static long timeoutMs(RoutingContext ctx, int maxMs) {
    String raw = ctx.request().getParam("timeout_ms");
    if (raw == null) {
      return Math.min(30_000, maxMs);
    }
    long timeout;
    try {
      timeout = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      timeout = -1;
    }
    if (timeout < 0 || timeout > maxMs) {
      throw FerryException.invalidField("timeout_ms",
          "must be a whole number of milliseconds from 0 to " + maxMs + ", got '" + echo(raw) + "'");
    }
    return timeout;
  }

  // A queue route needs Sonya read access to the queue (service token, a key with a sonya grant); an id route
  // also takes that id's token.
  private static void requireAccess(Principal principal, String queueName, String key) {
    if (principal.allows(Resource.SONYA, Access.READ, queueName)) {
      return;
    }
    if (key != null && principal.allows(Principal.sonyaListen(queueName, key))) {
      return;
    }
    throw new FerryException(ErrorCode.FORBIDDEN, key == null
        ? "this credential does not allow listening to every message of queue '" + queueName + "'"
        : "this credential does not allow listening to id '" + echo(key) + "' of queue '" + queueName + "'");
  }

  private static String echo(String raw) {
    return raw.length() > ECHO_LIMIT ? raw.substring(0, ECHO_LIMIT) + "…" : raw;
  }
}
