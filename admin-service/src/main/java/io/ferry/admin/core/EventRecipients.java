package io.ferry.admin.core;

import io.ferry.admin.model.EventSubscription;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.admin.store.ConsumerRecords;
import io.ferry.admin.store.EventSubscriptionRecords;
import io.ferry.contracts.model.FerryEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which event subscriptions receive an event, and the message each one gets.
 *
 * <p>Delivering an event writes a message into a queue, and a message that fails there can cause a new
 * per-message event ({@code message.dead_lettered}, {@code delivery.exhausted}); delivering that one could
 * cause another, without end. So per-message events about an <em>event-fed</em> queue are never delivered:
 * a queue is event-fed when it is the destination of one of the account's event subscriptions, or the
 * dead-letter queue of a consumer of an event-fed queue (where delivered messages can move to).
 */
public final class EventRecipients {

  /** The {@code eventSchemaVersion} of every message. */
  public static final int SCHEMA_VERSION = 1;

  private final EventSubscriptionRecords subscriptions;
  private final ConsumerRecords consumers;

  public EventRecipients(EventSubscriptionRecords subscriptions, ConsumerRecords consumers) {
    this.subscriptions = subscriptions;
    this.consumers = consumers;
  }

  /** The enabled subscriptions of the event's account whose source and events include its type. */
  public Future<List<EventSubscription>> of(FerryEvent event) {
    String source = EventSources.sourceOf(event.type());
    if (event.accountId() == null || source == null) {
      return Future.succeededFuture(List.of());
    }
    return subscriptions.eventSubscriptions(event.accountId()).compose(all -> {
      List<EventSubscription> matching = all.stream()
          .filter(s -> s.enabled() && s.sourceType().equals(source) && s.events().contains(event.type()))
          .toList();
      String queueId = queueOf(event);
      if (matching.isEmpty() || !EventSources.isPerMessage(event.type()) || queueId == null) {
        return Future.succeededFuture(matching);
      }
      return consumers.allConsumers().map(allConsumers -> eventFed(all, allConsumers).contains(queueId)
          ? List.<EventSubscription>of() : matching);
    });
  }

  /** The JSON message {@code subscription} publishes for {@code event} (docs/webhooks.md). */
  public static JsonObject message(EventSubscription subscription, FerryEvent event) {
    return new JsonObject()
        .put("type", event.type())
        .put("source", new JsonObject().put("type", subscription.sourceType()))
        .put("metadata", new JsonObject()
            .put("accountId", event.accountId())
            .put("eventSubscriptionId", subscription.id())
            .put("eventSchemaVersion", SCHEMA_VERSION)
            .put("eventTimestamp", Instant.ofEpochMilli(event.timestampMs()).toString()))
        .put("payload", event.payload() == null ? new JsonObject() : event.payload());
  }

  private static Set<String> eventFed(List<EventSubscription> subscriptions, List<QueueConsumer> consumers) {
    Set<String> fed = new HashSet<>();
    Deque<String> toVisit = new ArrayDeque<>();
    subscriptions.forEach(s -> toVisit.add(s.destinationQueueId()));
    while (!toVisit.isEmpty()) {
      String queueId = toVisit.poll();
      if (fed.add(queueId)) {
        for (QueueConsumer consumer : consumers) {
          if (consumer.queueId().equals(queueId) && consumer.deadLetterQueueId() != null) {
            toVisit.add(consumer.deadLetterQueueId());
          }
        }
      }
    }
    return fed;
  }

  private static String queueOf(FerryEvent event) {
    Object queueId = event.payload() == null ? null : event.payload().getValue("queue_id");
    return queueId instanceof String id ? id : null;
  }
}
