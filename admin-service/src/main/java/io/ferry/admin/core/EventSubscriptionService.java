package io.ferry.admin.core;

import io.ferry.admin.model.EventSubscription;
import io.ferry.admin.store.EventSubscriptionRecords;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Event subscriptions of an account: which of its event streams ({@link EventSources}) are published into
 * which of its queues. Each operation resolves the destination queue and hands it to the caller's
 * {@code authorize} (which throws to refuse) before anything is read out or changed; a subscription or queue
 * of another account is reported exactly like a missing one.
 */
public final class EventSubscriptionService {

  public static final int MAX_NAME_LENGTH = 256;
  public static final List<String> ORDERS = List.of("created_at", "name", "enabled", "source");

  /**
   * What a request sets. On create every field but {@code enabled} (default true) is required; on update a
   * {@code null} field keeps its value.
   */
  public record Changes(String name, Boolean enabled, String sourceType, String destinationQueueId,
      List<String> events) {
  }

  /** One page of a list and how many subscriptions the whole list has. */
  public record Page(List<EventSubscription> items, int totalCount) {
  }

  private final EventSubscriptionRecords subscriptions;
  private final QueueService queues;

  public EventSubscriptionService(EventSubscriptionRecords subscriptions, QueueService queues) {
    this.subscriptions = subscriptions;
    this.queues = queues;
  }

  public Future<EventSubscription> create(String accountId, Changes spec, Consumer<QueueInfo> authorize) {
    try {
      validate(spec.name(), spec.sourceType(), spec.destinationQueueId(), spec.events());
    } catch (FerryException invalid) {
      return Future.failedFuture(invalid);
    }
    return destination(accountId, spec.destinationQueueId(), authorize).compose(queue -> {
      long now = System.currentTimeMillis();
      EventSubscription created = new EventSubscription(Ids.newId(), accountId, spec.name(),
          spec.enabled() == null || spec.enabled(), spec.sourceType(), queue.id(), distinct(spec.events()), now,
          now);
      return subscriptions.insertEventSubscription(created).map(created);
    });
  }

  public Future<EventSubscription> get(String accountId, String subscriptionId, Consumer<QueueInfo> authorize) {
    return subscriptions.eventSubscription(subscriptionId).compose(found -> {
      if (found == null || !found.accountId().equals(accountId)) {
        return Future.failedFuture(notFound(subscriptionId));
      }
      return destination(accountId, found.destinationQueueId(), authorize).map(found);
    });
  }

  /** Applies the non-null changes; a new destination must be authorized too. */
  public Future<EventSubscription> update(String accountId, String subscriptionId, Changes changes,
      Consumer<QueueInfo> authorize) {
    return get(accountId, subscriptionId, authorize).compose(current -> {
      EventSubscription updated = new EventSubscription(current.id(), accountId,
          or(changes.name(), current.name()), or(changes.enabled(), current.enabled()),
          or(changes.sourceType(), current.sourceType()),
          or(changes.destinationQueueId(), current.destinationQueueId()),
          distinct(or(changes.events(), current.events())), current.createdAtMs(), System.currentTimeMillis());
      // Events kept from before must still belong to a changed source.
      validate(updated.name(), updated.sourceType(), updated.destinationQueueId(), updated.events());
      Future<QueueInfo> destination = updated.destinationQueueId().equals(current.destinationQueueId())
          ? Future.succeededFuture() : destination(accountId, updated.destinationQueueId(), authorize);
      return destination.compose(v -> subscriptions.updateEventSubscription(updated)).map(updated);
    });
  }

  /** Deletes the subscription and answers it as it was. */
  public Future<EventSubscription> delete(String accountId, String subscriptionId, Consumer<QueueInfo> authorize) {
    return get(accountId, subscriptionId, authorize)
        .compose(found -> subscriptions.deleteEventSubscription(found.id()).map(found));
  }

  /**
   * The account's subscriptions whose destination {@code visible} accepts, sorted by {@code order} (one of
   * {@link #ORDERS}; ties by creation, then id), one page of them (pages count from 1).
   */
  public Future<Page> list(String accountId, String order, boolean descending, int page, int perPage,
      Predicate<QueueInfo> visible) {
    return queues.list(accountId).compose(owned -> subscriptions.eventSubscriptions(accountId).map(all -> {
      Map<String, QueueInfo> byId = owned.stream().collect(Collectors.toMap(QueueInfo::id, Function.identity()));
      Comparator<EventSubscription> sort = comparator(order);
      List<EventSubscription> shown = all.stream()
          .filter(s -> byId.containsKey(s.destinationQueueId()) && visible.test(byId.get(s.destinationQueueId())))
          .sorted(descending ? sort.reversed() : sort)
          .toList();
      long from = Math.min((long) (page - 1) * perPage, shown.size());
      long to = Math.min(from + perPage, shown.size());
      return new Page(shown.subList((int) from, (int) to), shown.size());
    }));
  }

  private Future<QueueInfo> destination(String accountId, String queueId, Consumer<QueueInfo> authorize) {
    return queues.get(accountId, queueId)
        .recover(failure -> Future.failedFuture(failure instanceof FerryException fe
            && fe.code() == ErrorCode.QUEUE_NOT_FOUND
            ? new FerryException(ErrorCode.QUEUE_NOT_FOUND, "destination.queue_id: queue " + queueId + " not found",
                "destination.queue_id")
            : failure))
        .map(queue -> {
          authorize.accept(queue);
          return queue;
        });
  }

  private static void validate(String name, String sourceType, String destinationQueueId, List<String> events) {
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw FerryException.invalidField("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    if (!EventSources.isSource(sourceType)) {
      throw FerryException.invalidField("source.type", "must be one of " + String.join(", ", EventSources.sources()));
    }
    if (!Ids.isValid(destinationQueueId)) {
      throw FerryException.invalidField("destination.queue_id", "must be 32 lowercase hexadecimal characters");
    }
    if (events == null || events.isEmpty()) {
      throw FerryException.invalidField("events", "must name at least one event type");
    }
    List<String> allowed = EventSources.eventsOf(sourceType);
    for (int i = 0; i < events.size(); i++) {
      String event = events.get(i);
      if (!allowed.contains(event)) {
        String source = EventSources.sourceOf(event);
        throw FerryException.invalidField("events[" + i + "]", source == null
            ? "unknown event type '" + event + "'; " + sourceType + " has " + String.join(", ", allowed)
            : "'" + event + "' comes from source " + source + ", not " + sourceType);
      }
    }
  }

  private static Comparator<EventSubscription> comparator(String order) {
    Comparator<EventSubscription> byCreation = Comparator.comparingLong(EventSubscription::createdAtMs)
        .thenComparing(EventSubscription::id);
    return switch (order) {
      case "name" -> Comparator.comparing(EventSubscription::name).thenComparing(byCreation);
      case "enabled" -> Comparator.comparing(EventSubscription::enabled).thenComparing(byCreation);
      case "source" -> Comparator.comparing(EventSubscription::sourceType).thenComparing(byCreation);
      default -> byCreation;
    };
  }

  private static List<String> distinct(List<String> events) {
    return new ArrayList<>(new LinkedHashSet<>(events));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static FerryException notFound(String subscriptionId) {
    return new FerryException(ErrorCode.NOT_FOUND, "event subscription " + subscriptionId + " not found");
  }
}
