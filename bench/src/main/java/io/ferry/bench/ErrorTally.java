package io.ferry.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed rounds, grouped by what exactly came back (status and body, or the transport error). */
final class ErrorTally {

  private static final int MAX_BODY = 500;
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

  void record(Throwable failure) {
    byKind.computeIfAbsent(describe(failure), k -> new LongAdder()).increment();
  }

  long total() {
    return byKind.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Each kind of failure with its count, most frequent first. */
  Map<String, Long> kinds() {
    Map<String, Long> out = new LinkedHashMap<>();
    byKind.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
        .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
    return out;
  }

  void addAll(ErrorTally other) {
    other.byKind.forEach((kind, n) -> byKind.computeIfAbsent(kind, k -> new LongAdder()).add(n.sum()));
  }

  static String describe(Throwable failure) {
    if (failure instanceof HttpStatusException status) {
      String body = status.body();
      if (body.length() > MAX_BODY) {
        body = body.substring(0, MAX_BODY) + "...";
      }
      return status.request() + " -> " + status.status() + " " + body;
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
