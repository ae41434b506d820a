package io.ferry.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges each answer to a hostile request (no 5xx, an answer at all, an error in its dialect's format,
 * 413 for oversized bodies) and keeps the tallies printed at the end.
 */
final class HostileVerdict {

  private final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
  private final Map<String, Integer> sent = new TreeMap<>();
  private final Map<String, String> findings = new LinkedHashMap<>();
  private final Map<String, Integer> findingCounts = new LinkedHashMap<>();
  private int serverErrors;
  private int malformed;
  private int unanswered;

  void judge(HostileRequests.Hostile request, RawHttp.Response response) {
    String dialect = request.dialect();
    sent.merge(dialect, 1, Integer::sum);
    statuses.computeIfAbsent(dialect, d -> new TreeMap<>()).merge(response.status(), 1, Integer::sum);
    if (response.status() < 0) {
      unanswered++;
      finding(request, "no answer", response.failure());
      return;
    }
    if (response.status() >= 500) {
      serverErrors++;
      finding(request, "server error " + response.status(), response.text());
      return;
    }
    if (request.oversized() && response.status() != 413) {
      finding(request, "oversized body answered " + response.status(), response.text());
      return;
    }
    if (response.status() >= 400 && !request.method().equals("HEAD")) {
      // A request line too long to read has no path the server could take a dialect from: Ferry's own shape.
      String problem = formatProblem(response.status() == 414 ? "ferry" : dialect, response);
      if (problem != null) {
        malformed++;
        finding(request, "error not in " + dialect + " format (" + problem + ")", response.text());
      }
    }
  }

  /** Why the error body is not in the dialect's error format, or {@code null} if it is. */
  static String formatProblem(String dialect, RawHttp.Response response) {
    JsonObject body;
    try {
      body = new JsonObject(response.text());
    } catch (RuntimeException e) {
      return "not a JSON object";
    }
    return switch (dialect) {
      case "cloudflare" -> {
        if (!Boolean.FALSE.equals(body.getValue("success"))) {
          yield "success is not false";
        }
        if (!(body.getValue("errors") instanceof JsonArray errors) || errors.isEmpty()) {
          yield "no errors[]";
        }
        for (Object error : errors) {
          if (!(error instanceof JsonObject e) || !(e.getValue("code") instanceof Integer)
              || !(e.getValue("message") instanceof String)) {
            yield "errors[] entry without integer code and message";
          }
        }
        yield body.getValue("messages") instanceof JsonArray && body.containsKey("result") ? null
            : "no messages[] / result";
      }
      case "discue" -> body.getValue("title") instanceof String title && !title.isEmpty()
          && body.getValue("status") instanceof Integer status && status == response.status()
          ? null : "no title / status equal to the HTTP status";
      case "sonya" -> Boolean.FALSE.equals(body.getValue("success")) && body.getValue("message") instanceof String
          && body.getValue("code") instanceof String ? null : "no success:false / code / message";
      default -> body.getValue("error") instanceof String && body.getValue("message") instanceof String
          ? null : "no error / message";
    };
  }

  private void finding(HostileRequests.Hostile request, String what, String detail) {
    String key = request.route() + " → " + what;
    findingCounts.merge(key, 1, Integer::sum);
    findings.putIfAbsent(key, request.method() + " " + HostileRequests.abbreviate(request.target()) + " ["
        + request.kind() + "] → " + HostileRequests.abbreviate(String.valueOf(detail)).replace('\n', ' '));
  }

  int serverErrors() {
    return serverErrors;
  }

  int total() {
    return sent.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** One line per kind of failure, with an example request. */
  List<String> findings() {
    List<String> lines = new ArrayList<>();
    findings.forEach((key, example) -> lines.add(findingCounts.get(key) + "× " + key + "\n      e.g. " + example));
    return lines;
  }

  String summary(long seed, long elapsedMs) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%nHostile input, seed %d: %d requests in %.1f s%n", seed, total(), elapsedMs / 1000.0));
    out.append(String.format("%-11s %8s  %s%n", "dialect", "requests", "statuses (status×count)"));
    for (Map.Entry<String, Integer> row : sent.entrySet()) {
      StringBuilder histogram = new StringBuilder();
      statuses.get(row.getKey()).forEach((status, count) ->
          histogram.append(status < 0 ? "none" : status).append('×').append(count).append(' '));
      out.append(String.format("%-11s %8d  %s%n", row.getKey(), row.getValue(), histogram.toString().trim()));
    }
    out.append(String.format("server errors (5xx): %d, unanswered: %d, errors not in the dialect's format: %d%n",
        serverErrors, unanswered, malformed));
    return out.toString();
  }
}
