package io.ferry.admin.api.discue;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.ListenerService;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

// The webhook attempt logs (docs/webhooks.md): a listener's attempts, newest first and paged with startAfterId and
// limit; a message's attempts over the queue's listeners; and redelivery of what a listener missed since a time.
// Same grants as the listener routes.
final class AttemptRoutes implements Routes {

  private final ListenerService listeners;

  AttemptRoutes(ListenerService listeners) {
    this.listeners = listeners;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    String one = "/v1/queues/:queue_id/listeners/:listener_id";
    router.get(one + "/attempts").handler(authentication)
        .handler(Authorization.require(Resource.LISTENERS, Access.READ)).handler(this::ofListener);
    router.get("/v1/queues/:queue_id/messages/:message_id/attempts").handler(authentication)
        .handler(Authorization.require(Resource.LISTENERS, Access.READ)).handler(this::ofMessage);
    router.post(one + "/redeliver_missed").handler(authentication)
        .handler(Authorization.require(Resource.LISTENERS, Access.WRITE)).handler(this::redeliverMissed);
  }

  private void ofListener(RoutingContext ctx) {
    String queueId = DiscuePaths.queueId(ctx);
    String listenerId = DiscuePaths.id(ctx, "listener_id", "listener");
    int limit = limit(ctx);
    String startAfterId = ctx.request().getParam("startAfterId");
    if (startAfterId != null && !Ids.isValid(startAfterId)) {
      throw FerryException.invalidField("startAfterId",
          "must be the id of an attempt (32 lowercase hexadecimal characters)");
    }
    String path = "/v1/queues/" + queueId + "/listeners/" + listenerId + "/attempts";
    listeners.attempts(Authentication.requirePrincipal(ctx), queueId, listenerId, startAfterId, limit)
        .onSuccess(page -> DialectResponses.discue(ctx, 200, AttemptJson.page(page, path, startAfterId, limit)))
        .onFailure(ctx::fail);
  }

  private void ofMessage(RoutingContext ctx) {
    String queueId = DiscuePaths.queueId(ctx);
    String messageId = DiscuePaths.id(ctx, "message_id", "message");
    int limit = limit(ctx);
    String path = "/v1/queues/" + queueId + "/messages/" + messageId + "/attempts";
    listeners.messageAttempts(Authentication.requirePrincipal(ctx), queueId, messageId, limit)
        .onSuccess(attempts -> DialectResponses.discue(ctx, 200, AttemptJson.list(attempts, path, limit)))
        .onFailure(ctx::fail);
  }

  private void redeliverMissed(RoutingContext ctx) {
    String queueId = DiscuePaths.queueId(ctx);
    String listenerId = DiscuePaths.id(ctx, "listener_id", "listener");
    JsonObject body = RequestBody.object(ctx);
    long sinceMs = sinceMs(RequestBody.requiredString(body, "since", "since"));
    listeners.redeliverMissed(Authentication.requirePrincipal(ctx), queueId, listenerId, sinceMs)
        .onSuccess(count -> DialectResponses.discue(ctx, 200, ListenerJson.redelivered(count)))
        .onFailure(ctx::fail);
  }

  private static int limit(RoutingContext ctx) {
    return RequestBody.queryInteger(ctx, "limit", 1, ListenerService.MAX_ATTEMPTS_LIMIT,
        ListenerService.DEFAULT_ATTEMPTS_LIMIT);
  }

  private static long sinceMs(String since) {
    try {
      long ms = OffsetDateTime.parse(since).toInstant().toEpochMilli();
      if (ms >= 0) {
        return ms;
      }
    } catch (DateTimeParseException | ArithmeticException notATime) {
      // reported below
    }
    throw FerryException.invalidField("since", "must be an RFC 3339 date-time after 1970, e.g. 2026-01-01T00:00:00Z");
  }
}
