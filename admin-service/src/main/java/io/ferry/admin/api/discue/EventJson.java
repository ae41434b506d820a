package io.ferry.admin.api.discue;

import io.ferry.admin.model.AuditPage;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

// A page of the audit trail as discue lists events, with self and next links that keep the page's filter.
final class EventJson {

  private EventJson() {
  }

  static JsonObject page(AuditPage page, String startAfterId, int limit, String groups) {
    JsonArray events = new JsonArray();
    for (FerryEvent event : page.events()) {
      events.add(new JsonObject()
          .put("id", event.id())
          .put("type", event.type())
          .put("resource_id", event.resourceId())
          .put("timestamp", Instant.ofEpochMilli(event.timestampMs()).toString())
          .put("payload", event.payload() == null ? new JsonObject() : event.payload()));
    }
    JsonObject links = new JsonObject().put("self", href(startAfterId, limit, groups));
    if (page.nextAfterId() != null) {
      links.put("next", href(page.nextAfterId(), limit, groups));
    }
    return new JsonObject().put("events", events).put("_links", links);
  }

  private static JsonObject href(String startAfterId, int limit, String groups) {
    String filter = groups == null ? "" : "events=" + URLEncoder.encode(groups, StandardCharsets.UTF_8) + "&";
    String cursor = startAfterId == null ? "" : "startAfterId=" + startAfterId + "&";
    return new JsonObject().put("href", "/v1/events?" + filter + cursor + "limit=" + limit);
  }
}
