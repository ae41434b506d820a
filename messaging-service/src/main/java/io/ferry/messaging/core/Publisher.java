package io.ferry.messaging.core;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends messages: assigns sequences on the engine context (so they are strictly increasing per queue),
 * writes the messages with one pending entry per subscription in one durable batch, and only then makes
 * them deliverable and publishes them to live subscribers.
 */
final class Publisher {

  private final EngineRuntime runtime;
  private final Deliveries deliveries;

  Publisher(EngineRuntime runtime, Deliveries deliveries) {
    this.runtime = runtime;
    this.deliveries = deliveries;
  }

  Future<PublishResult> publish(Publication publication) {
    QueueState queue = publication.queueId() != null
        ? runtime.state.requireQueue(publication.accountId(), publication.queueId())
        : runtime.state.requireQueueByName(publication.accountId(), publication.queueName());
    if (publication.messages().isEmpty()) {
      return Future.succeededFuture(new PublishResult(List.of(), queue.metrics()));
    }
    long first = queue.lastSequence + 1;
    if (publication.sequence() != null) {
      if (publication.sequence() <= queue.lastSequence) {
        throw new FerryException(ErrorCode.SEQUENCE_CONFLICT, "sequence " + publication.sequence()
            + " is not greater than the queue's last sequence " + queue.lastSequence, "sequence");
      }
      first = publication.sequence();
    }
    long now = runtime.nowMs();
    List<SubscriptionState> subscribers = List.copyOf(queue.subscriptions.values());
    List<StoredMessage> messages = new ArrayList<>(publication.messages().size());
    StoreBatch batch = new StoreBatch();
    for (NewMessage message : publication.messages()) {
      long sequence = first + messages.size();
      int delaySeconds = firstNonNull(message.delaySeconds(), publication.delaySeconds(),
          queue.info.settings().deliveryDelaySeconds());
      StoredMessage stored = new StoredMessage(Ids.newId(), queue.id(), sequence, message.key(),
          message.contentType(), message.body(), now, now + delaySeconds * 1000L);
      messages.add(stored);
      batch.append(stored);
      for (SubscriptionState subscriber : subscribers) {
        batch.putPending(subscriber.id(), sequence, 0, stored.availableAtMs());
      }
    }
    queue.lastSequence = first + messages.size() - 1;
    Future<PublishResult> appended = runtime.store.commit(batch)
        .map(v -> applyDurable(queue, messages, subscribers));
    queue.lastAppend = appended;
    return appended;
  }

  private PublishResult applyDurable(QueueState queue, List<StoredMessage> messages,
      List<SubscriptionState> subscribers) {
    if (queue.removed) {
      return new PublishResult(messages, QueueMetrics.EMPTY);
    }
    List<SubscriptionState> live = new ArrayList<>(subscribers.size());
    for (SubscriptionState subscriber : subscribers) {
      if (!subscriber.removed) {
        live.add(subscriber);
      }
    }
    long now = runtime.nowMs();
    for (StoredMessage message : messages) {
      RetainedMessage retained = new RetainedMessage(message.sequence(), message.body().length,
          message.timestampMs(), message.availableAtMs());
      retained.unresolved = live.size();
      queue.retain(retained);
      for (SubscriptionState subscriber : live) {
        subscriber.add(new Delivery(message.sequence(), 0, message.availableAtMs()), now);
      }
    }
    queue.publishedSequence = messages.get(messages.size() - 1).sequence();
    runtime.vertx.eventBus().publish(Addresses.published(queue.id()), new PublishedBatch(queue.id(), messages));
    for (SubscriptionState subscriber : live) {
      deliveries.wake(subscriber);
    }
    return new PublishResult(messages, queue.metrics());
  }

  private static int firstNonNull(Integer first, Integer second, int fallback) {
    return first != null ? first : second != null ? second : fallback;
  }
}
