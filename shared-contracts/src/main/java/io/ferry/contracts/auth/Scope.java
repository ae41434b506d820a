package io.ferry.contracts.auth;

import java.util.Locale;
import java.util.Set;

/**
 * One grant of an API key or JWT: a resource, an access level and a target, written
 * {@code resource:access:target}. {@code *} in any part matches everything; the single string {@code *}
 * grants all. Targets are queue names or queue ids ({@code *}: every queue of the account).
 *
 * <p>Resources: {@code queues} (queues, consumers, purge, metrics, event subscriptions), {@code messages}
 * (push, pull, ack, peek, discue messages, Sonya send), {@code listeners}, {@code api_keys}, {@code events}
 * (the audit trail) and {@code sonya} (every Sonya route). Access: {@code read} or {@code write}; write does
 * not imply read.
 */
public record Scope(String resource, String access, String target) {

  public static final String ANY = "*";
  public static final String QUEUES = "queues";
  public static final String MESSAGES = "messages";
  public static final String LISTENERS = "listeners";
  public static final String API_KEYS = "api_keys";
  public static final String EVENTS = "events";
  public static final String SONYA = "sonya";
  public static final String READ = "read";
  public static final String WRITE = "write";

  public static final Set<String> RESOURCES = Set.of(ANY, QUEUES, MESSAGES, LISTENERS, API_KEYS, EVENTS, SONYA);
  public static final Set<String> ACCESS = Set.of(ANY, READ, WRITE);

  /** Everything. */
  public static final Scope ALL = new Scope(ANY, ANY, ANY);

  /**
   * Parses {@code *}, {@code resource}, {@code resource:access} or {@code resource:access:target}; missing
   * parts mean {@code *}. Returns {@code null} for anything else (an unknown resource or access level), so
   * that callers can reject it naming the field.
   */
  public static Scope parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String[] parts = text.trim().split(":", 3);
    String resource = parts[0].toLowerCase(Locale.ROOT);
    String access = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : ANY;
    String target = parts.length > 2 ? parts[2] : ANY;
    if (!RESOURCES.contains(resource) || !ACCESS.contains(access) || target.isEmpty()) {
      return null;
    }
    return new Scope(resource, access, target);
  }

  /** Whether this grant covers {@code access} to {@code resource} on any of {@code targets}. */
  public boolean covers(String resource, String access, String... targets) {
    if (!part(this.resource, resource) || !part(this.access, access)) {
      return false;
    }
    if (ANY.equals(target)) {
      return true;
    }
    for (String candidate : targets) {
      if (target.equals(candidate)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this grant covers {@code access} to {@code resource} on at least one target. */
  public boolean coversSome(String resource, String access) {
    return part(this.resource, resource) && part(this.access, access);
  }

  private static boolean part(String granted, String wanted) {
    return ANY.equals(granted) || granted.equals(wanted);
  }

  @Override
  public String toString() {
    return resource + ":" + access + ":" + target;
  }
}
