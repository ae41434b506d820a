package io.ferry.system;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load's requests under way, per instance: an instance taken out of the clients' rotation is stopped once
 * those sent to it before have been answered, as a proxy (or Kubernetes' preStop pause) lets them finish.
 */
final class RequestsInFlight {

  private static final Map<String, AtomicInteger> TO = new ConcurrentHashMap<>();

  private RequestsInFlight() {
  }

  static <T> T to(String baseUrl, Callable<T> request) throws Exception {
    AtomicInteger count = TO.computeIfAbsent(baseUrl, b -> new AtomicInteger());
    count.incrementAndGet();
    try {
      return request.call();
    } finally {
      count.decrementAndGet();
    }
  }

  static int count(String baseUrl) {
    AtomicInteger count = TO.get(baseUrl);
    return count == null ? 0 : count.get();
  }
}
