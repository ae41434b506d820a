package io.ferry.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the load's requests were answered with when Ferry answered 5xx, by status, route and message: the status
 * alone does not tell a failover test's reader which of several causes it was (an owner that did not answer in
 * time, one that left the cluster, no owner within the forward wait). Counts since the JVM started.
 */
final class ServerErrors {

  // Enough distinct messages to tell causes apart without growing with a long run.
  private static final int MAX_KINDS = 40;
  private static final Map<String, AtomicLong> KINDS = new ConcurrentSkipListMap<>();

  private ServerErrors() {
  }

  static void record(int status, String path, String body) {
    // Numbers (shards, milliseconds) apart, the same cause reads the same.
    String kind = status + " " + path + ": " + message(body).replaceAll("[0-9]+", "#");
    AtomicLong count = KINDS.get(kind);
    if (count == null && KINDS.size() >= MAX_KINDS) {
      kind = status + " " + path + ": (other)";
    }
    KINDS.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  /** ", 5xx answers {kind=count, ...}", or nothing when there were none. */
  static String summary() {
    return KINDS.isEmpty() ? "" : ", 5xx answers " + KINDS;
  }

  // The Cloudflare dialect's first error message; the body's start otherwise.
  private static String message(String body) {
    try {
      JsonArray errors = new JsonObject(body).getJsonArray("errors");
      if (errors != null && !errors.isEmpty()) {
        return errors.getJsonObject(0).getString("message");
      }
    } catch (RuntimeException notJson) {
      // Fall through to the raw start.
    }
    return body == null ? "" : body.substring(0, Math.min(160, body.length()));
  }
}
