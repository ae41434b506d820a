package io.ferry.admin.api;

import io.ferry.admin.core.ListenerView;
import io.ferry.admin.model.Listener;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

// The discue listener object (docs/compatibility.md). The signing secret appears only in #withSecret answers.
final class DiscueListenerJson {

  private DiscueListenerJson() {
  }

  static JsonObject listener(ListenerView view) {
    Listener listener = view.listener();
    return new JsonObject()
        .put("id", listener.id())
        .put("name", listener.name())
        .put("queue_id", listener.queueId())
        .put("notify_url", listener.notifyUrl())
        .put("liveness_url", listener.livenessUrl())
        .put("status", listener.enabled() ? "enabled" : "disabled")
        .put("liveness", liveness(view.liveness()))
        .put("messages", messages(view.stats()));
  }

  static JsonObject wrapped(ListenerView view) {
    return new JsonObject().put("listener", listener(view)).put("_links", self(view.listener()));
  }

  static JsonObject listeners(List<ListenerView> views, String selfHref) {
    JsonArray items = new JsonArray();
    JsonObject links = DiscueJson.self(selfHref);
    views.forEach(view -> {
      items.add(listener(view));
      Listener listener = view.listener();
      DiscueJson.link(links, listener.name(), listener.id(), href(listener));
    });
    return new JsonObject().put("listeners", items).put("_links", links);
  }

  // At creation and on rotation: the only answers that carry the secret.
  static JsonObject withSecret(Listener listener) {
    return new JsonObject()
        .put("listener", new JsonObject()
            .put("id", listener.id())
            .put("name", listener.name())
            .put("secret", listener.secret()))
        .put("_links", self(listener));
  }

  static JsonObject deleted(Listener listener) {
    return new JsonObject().put("listener", new JsonObject().put("id", listener.id()).put("name", listener.name()));
  }

  static JsonObject redelivered(int count) {
    return new JsonObject().put("redelivered", count);
  }

  // discue's last_failure_* fields appear once a check has failed, with why (e.g. an address refused by the
  // SSRF policy at connect time; last_failure_status is 0 when no answer came).
  private static JsonObject liveness(ListenerLiveness liveness) {
    JsonObject json = new JsonObject()
        .put("state", liveness.state().wireName())
        .put("success_count", liveness.successCount())
        .put("failure_count", liveness.failureCount())
        .put("checked_at", liveness.checkedAtMs() == 0 ? null
            : Instant.ofEpochMilli(liveness.checkedAtMs()).toString());
    if (liveness.lastFailureAtMs() != 0) {
      json.put("last_failure_at", Instant.ofEpochMilli(liveness.lastFailureAtMs()).toString())
          .put("last_failure_status", liveness.lastFailureStatus())
          .put("last_failure_msg", liveness.lastFailureMessage());
    }
    return json;
  }

  private static JsonObject messages(SubscriptionStats stats) {
    return new JsonObject()
        .put("acknowledged_count", stats.acknowledgedCount())
        .put("missed_count", stats.missedCount())
        .put("missed", new JsonArray(stats.missedIds()));
  }

  private static JsonObject self(Listener listener) {
    return DiscueJson.self(href(listener));
  }

  private static String href(Listener listener) {
    return "/v1/queues/" + listener.queueId() + "/listeners/" + listener.id();
  }
}
