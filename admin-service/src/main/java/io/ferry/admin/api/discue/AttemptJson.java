package io.ferry.admin.api.discue;

import io.ferry.admin.model.AttemptPage;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

// Webhook attempt logs as discue-style pages: {"attempts": [...], "_links": {self, next?}}.
final class AttemptJson {

  private AttemptJson() {
  }

  static JsonObject page(AttemptPage page, String path, String startAfterId, int limit) {
    JsonObject links = new JsonObject().put("self", href(path, startAfterId, limit));
    if (page.nextAfterId() != null) {
      links.put("next", href(path, page.nextAfterId(), limit));
    }
    return new JsonObject().put("attempts", attempts(page.attempts())).put("_links", links);
  }

  static JsonObject list(List<WebhookAttempt> attempts, String path, int limit) {
    return new JsonObject().put("attempts", attempts(attempts))
        .put("_links", new JsonObject().put("self", href(path, null, limit)));
  }

  private static JsonArray attempts(List<WebhookAttempt> attempts) {
    JsonArray list = new JsonArray();
    for (WebhookAttempt attempt : attempts) {
      list.add(new JsonObject()
          .put("id", attempt.id())
          .put("timestamp", Instant.ofEpochMilli(attempt.timestampMs()).toString())
          .put("message_id", attempt.messageId())
          .put("attempt", attempt.attempt())
          .put("outcome", attempt.outcome())
          .put("status_code", attempt.statusCode())
          .put("error", attempt.error())
          .put("latency_ms", attempt.latencyMs())
          .put("response_excerpt", attempt.responseExcerpt()));
    }
    return list;
  }

  private static JsonObject href(String path, String startAfterId, int limit) {
    String cursor = startAfterId == null ? "" : "startAfterId=" + startAfterId + "&";
    return new JsonObject().put("href", path + "?" + cursor + "limit=" + limit);
  }
}
