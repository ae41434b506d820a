package io.ferry.admin.api.discue;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.AuditTrail;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

// The audit trail, GET /v1/events: the caller's account's events, newest first, paged with the cursor
// startAfterId and limit, narrowed by discue's events groups (comma-separated). Needs events:read; a grant for
// some queues shows the events about those queues only.
final class EventRoutes implements Routes {

  // discue's event groups and the prefixes of Ferry's event types in each (api keys raise no events).
  private static final Map<String, List<String>> GROUPS = Map.of(
      "queues", List.of("queue.", "consumer."),
      "listeners", List.of("listener.", "delivery."),
      "messages", List.of("message.", "messages."),
      "api_keys", List.of("api_key."));

  private final AuditTrail audit;

  EventRoutes(AuditTrail audit) {
    this.audit = audit;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    router.get("/v1/events").handler(authentication).handler(Authorization.require(Resource.EVENTS, Access.READ))
        .handler(this::list);
  }

  private void list(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    int limit = RequestBody.queryInteger(ctx, "limit", 1, AuditTrail.MAX_LIMIT, AuditTrail.DEFAULT_LIMIT);
    String startAfterId = ctx.request().getParam("startAfterId");
    if (startAfterId != null && !Ids.isValid(startAfterId)) {
      throw FerryException.invalidField("startAfterId",
          "must be the id of an event (32 lowercase hexadecimal characters)");
    }
    String groups = ctx.request().getParam("events");
    audit.page(caller.accountId(), startAfterId, limit, visibleTo(caller).and(inGroups(groups)))
        .onSuccess(page -> DialectResponses.discue(ctx, 200, EventJson.page(page, startAfterId, limit, groups)))
        .onFailure(ctx::fail);
  }

  private static Predicate<FerryEvent> inGroups(String groups) {
    if (groups == null) {
      return event -> true;
    }
    List<String> prefixes = new ArrayList<>();
    for (String group : groups.split(",", -1)) {
      String name = group.trim();
      if (name.equals("all")) {
        return event -> true;
      }
      List<String> inGroup = GROUPS.get(name);
      if (inGroup == null) {
        throw FerryException.invalidField("events", "must be all, queues, listeners, messages or api_keys "
            + "(several separated by commas)");
      }
      prefixes.addAll(inGroup);
    }
    return event -> prefixes.stream().anyMatch(prefix -> event.type().startsWith(prefix));
  }

  // Events about a queue need a grant covering it; events about no queue need a grant for every queue.
  private static Predicate<FerryEvent> visibleTo(Principal caller) {
    if (caller.allows(Resource.EVENTS, Access.READ)) {
      return event -> true;
    }
    return event -> {
      List<String> targets = new ArrayList<>();
      JsonObject payload = event.payload() == null ? new JsonObject() : event.payload();
      for (String key : List.of("queue_id", "queue_name")) {
        if (payload.getValue(key) instanceof String target) {
          targets.add(target);
        }
      }
      return !targets.isEmpty() && caller.allows(Resource.EVENTS, Access.READ, targets.toArray(String[]::new));
    };
  }
}
