package io.ferry.contracts.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.impl.EventBusImpl;
import java.lang.reflect.Field;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a publish on a topic can reach anyone, to skip one that cannot: the live feed publishes every
 * durable batch of every queue, and a standalone node whose queues nobody follows paid for a bus message
 * (and its two metrics look-ups and a {@code NO_HANDLERS} exception) per push.
 *
 * <p>Only a local (non-clustered) event bus is asked: there every handler is in its handler map, which Vert.x
 * fills before a consumer's registration completes and reads itself to deliver a publish, so a publish skipped
 * because the map had no handler is one Vert.x would have delivered to no one. A clustered bus learns other
 * members' handlers from the cluster manager asynchronously (its node selector caches them and is told of
 * changes later), so nothing here could tell, without asking the cluster on every publish, that a gateway
 * whose registration has completed is not listening: there every publish goes out.
 */
public final class TopicListeners {

  private static final Logger LOG = LoggerFactory.getLogger(TopicListeners.class);
  private static final Field HANDLERS = handlerMapField();

  // The local bus's handlers by address; null when this cannot be told (clustered, or another bus).
  private final Map<String, ?> handlers;

  private TopicListeners(Map<String, ?> handlers) {
    this.handlers = handlers;
  }

  @SuppressWarnings("unchecked")
  public static TopicListeners of(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    if (vertx.isClustered() || HANDLERS == null || bus.getClass() != EventBusImpl.class) {
      return new TopicListeners(null);
    }
    try {
      return new TopicListeners((Map<String, ?>) HANDLERS.get(bus));
    } catch (IllegalAccessException | ClassCastException e) {
      LOG.warn("every live batch is published: the event bus's handlers cannot be read ({})", e.toString());
      return new TopicListeners(null);
    }
  }

  /** False only when no handler anywhere can receive a publish on {@code topic} now. */
  public boolean mayHear(Topic<?> topic) {
    return handlers == null || handlers.containsKey(topic.address());
  }

  /** Whether {@link #mayHear} can ever be false here (a local bus whose handlers can be read). */
  public boolean knowsLocalHandlers() {
    return handlers != null;
  }

  private static Field handlerMapField() {
    try {
      Field field = EventBusImpl.class.getDeclaredField("handlerMap");
      field.setAccessible(true);
      return Map.class.isAssignableFrom(field.getType()) ? field : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("every live batch is published: Vert.x's event bus has no readable handler map ({})", e.toString());
      return null;
    }
  }
}
