package io.ferry.admin.api.discue;

import io.ferry.admin.core.ListenerView;
import io.ferry.admin.model.Listener;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

// The discue listener object (docs/compatibility.md), and the fields of listener request bodies. The signing
// secret appears only in #withSecret answers.
final class ListenerJson {

  // Most message ids one redeliver request may name.
  static final int MAX_REDELIVER_IDS = 1_000;

  private ListenerJson() {
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
    JsonObject links = Links.self(selfHref);
    views.forEach(view -> {
      items.add(listener(view));
      Listener listener = view.listener();
      Links.link(links, listener.name(), listener.id(), href(listener));
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
    return Links.self(href(listener));
  }

  private static String href(Listener listener) {
    return "/v1/queues/" + listener.queueId() + "/listeners/" + listener.id();
  }

  // "status" is Ferry's extension: it lets a user re-enable a listener that a 410 Gone disabled.
  static Boolean enabled(JsonObject body) {
    Object status = body.getValue("status");
    if (status == null) {
      return null;
    }
    if ("enabled".equals(status)) {
      return true;
    }
    if ("disabled".equals(status)) {
      return false;
    }
    throw FerryException.invalidField("status", "must be \"enabled\" or \"disabled\"");
  }

  static List<String> messageIds(JsonObject body) {
    Object value = body.getValue("ids");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw FerryException.invalidField("ids", "must be an array of message ids");
    }
    if (array.isEmpty() || array.size() > MAX_REDELIVER_IDS) {
      throw FerryException.invalidField("ids", "must hold 1 to " + MAX_REDELIVER_IDS
          + " message ids; leave it out to redeliver every missed message");
    }
    List<String> ids = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String id) || !Ids.isValid(id)) {
        throw FerryException.invalidField("ids[" + i + "]",
            "must be a message id (32 lowercase hexadecimal characters)");
      }
      ids.add(id);
    }
    return ids;
  }
}
