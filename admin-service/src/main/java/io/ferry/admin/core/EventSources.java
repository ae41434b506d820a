package io.ferry.admin.core;

import io.ferry.contracts.model.EventTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The event streams an event subscription can follow, and which event types each one carries. Every event
 * type belongs to at most one source.
 */
public final class EventSources {

  public static final String QUEUES = "ferry.queues";
  public static final String LISTENERS = "ferry.listeners";
  public static final String CONSUMERS = "ferry.consumers";

  private static final Map<String, List<String>> TYPES = new LinkedHashMap<>();

  static {
    TYPES.put(QUEUES, List.of(EventTypes.QUEUE_CREATED, EventTypes.QUEUE_UPDATED, EventTypes.QUEUE_DELETED,
        EventTypes.QUEUE_PURGED));
    TYPES.put(LISTENERS, List.of(EventTypes.LISTENER_CREATED, EventTypes.LISTENER_UPDATED,
        EventTypes.LISTENER_DELETED, EventTypes.LISTENER_DISABLED, EventTypes.LISTENER_INACTIVE,
        EventTypes.LISTENER_STABLE, EventTypes.DELIVERY_EXHAUSTED));
    TYPES.put(CONSUMERS, List.of(EventTypes.CONSUMER_CREATED, EventTypes.CONSUMER_DELETED,
        EventTypes.MESSAGE_DEAD_LETTERED));
  }

  // Events about one message of a queue rather than about a resource: the only ones a delivery can cause.
  private static final Set<String> PER_MESSAGE =
      Set.of(EventTypes.DELIVERY_EXHAUSTED, EventTypes.MESSAGE_DEAD_LETTERED);

  private EventSources() {
  }

  public static boolean isSource(String sourceType) {
    return TYPES.containsKey(sourceType);
  }

  public static List<String> sources() {
    return List.copyOf(TYPES.keySet());
  }

  /** The event types of a source. */
  public static List<String> eventsOf(String sourceType) {
    return TYPES.getOrDefault(sourceType, List.of());
  }

  /** The source carrying events of this type, or {@code null}. */
  public static String sourceOf(String eventType) {
    for (Map.Entry<String, List<String>> source : TYPES.entrySet()) {
      if (source.getValue().contains(eventType)) {
        return source.getKey();
      }
    }
    return null;
  }

  /** Whether the event is about one message of a queue (dead-lettered, delivery exhausted). */
  static boolean isPerMessage(String eventType) {
    return PER_MESSAGE.contains(eventType);
  }
}
