package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.schema.MessageSchema;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends messages: assigns sequences on the engine context (so they are strictly increasing per queue),
 * writes the messages with one pending entry per subscription in one durable batch, and only then makes
 * them deliverable and publishes them to live subscribers. Producers' messages must first match the queue's
 * schema ({@link SchemaGate}), the whole batch or nothing. Producers are refused with QUEUE_OVERLOADED,
 * before anything changes, while the appends waiting for the store exceed the engine's bound: memory stays
 * bounded however fast they push.
 */
final class Publisher {

  // What a message costs while queued besides its body: its record, id, key and pending entries.
  private static final int MESSAGE_OVERHEAD_BYTES = 160;
  private static final int PENDING_OVERHEAD_BYTES = 48;

  /** Messages handed to the store for one queue, to be applied once durable (or abandoned). */
  record Append(QueueState queue, List<StoredMessage> messages, List<SubscriptionState> subscribers,
      long queuedBytes) {
  }

  private final EngineRuntime runtime;
  private final Deliveries deliveries;
  private final SchemaGate schemas;

  Publisher(EngineRuntime runtime, Deliveries deliveries) {
    this.runtime = runtime;
    this.deliveries = deliveries;
    this.schemas = new SchemaGate(runtime);
  }

  Future<PublishResult> publish(Publication publication) {
    QueueState queue = resolve(publication);
    if (publication.messages().isEmpty()) {
      return Future.succeededFuture(new PublishResult(List.of(), queue.metrics()));
    }
    // Producers' messages must match the queue's schema; internal callers (no account) append Ferry's own.
    MessageSchema schema = publication.accountId() == null ? null : schemas.schemaOf(queue);
    if (schema != null) {
      // Resolved again once checked: the queue may have been deleted meanwhile.
      return schemas.check(schema, publication.messages()).compose(v -> append(resolve(publication), publication));
    }
    return append(queue, publication);
  }

  private QueueState resolve(Publication publication) {
    return publication.queueId() != null
        ? runtime.state.requireQueue(publication.accountId(), publication.queueId())
        : runtime.state.requireQueueByName(publication.accountId(), publication.queueName());
  }

  private Future<PublishResult> append(QueueState queue, Publication publication) {
    long bytes = queuedBytes(publication.messages(), queue.subscriptions.size());
    if (!runtime.appendBudget.admits(bytes)) {
      throw new FerryException(ErrorCode.QUEUE_OVERLOADED, "queue " + queue.info.name()
          + " is overloaded: too many messages are waiting to be written; retry shortly");
    }
    StoreBatch batch = new StoreBatch();
    Append append = prepare(queue, publication.messages(), publication.delaySeconds(), publication.sequence(), batch);
    Future<PublishResult> appended = runtime.store.commit(batch).transform(written -> {
      if (written.failed()) {
        abandon(append);
        return Future.failedFuture(written.cause());
      }
      return Future.succeededFuture(applyDurable(append));
    });
    queue.lastAppend = appended;
    return appended;
  }

  /**
   * Appends a copy of a message another shard dead-lettered, durably before completing with the copy's id.
   * Not refused as overloaded: the source has already given the message up and waits for this copy.
   */
  Future<String> appendCopy(QueueState queue, NewMessage message) {
    StoreBatch batch = new StoreBatch();
    Append append = prepare(queue, List.of(message), null, null, batch);
    Future<String> appended = runtime.store.commit(batch).transform(written -> {
      if (written.failed()) {
        abandon(append);
        return Future.failedFuture(written.cause());
      }
      return Future.succeededFuture(applyDurable(append).messages().get(0).id());
    });
    queue.lastAppend = appended;
    return appended;
  }

  /**
   * Assigns ids and sequences and adds the messages and their pending entries to {@code batch}; the caller
   * commits it and then calls {@link #applyDurable} or {@link #abandon}.
   */
  Append prepare(QueueState queue, List<NewMessage> newMessages, Integer batchDelaySeconds, Long firstSequence,
      StoreBatch batch) {
    long first = queue.lastSequence + 1;
    int count = newMessages.size();
    if (firstSequence != null) {
      // Checked before anything is queued for the store: a sequence near Long.MAX_VALUE would leave the next
      // append nowhere to go but negative.
      if (firstSequence < 1 || firstSequence > Sequences.MAX_CLIENT_SEQUENCE - (count - 1)) {
        throw new FerryException(ErrorCode.INVALID_FIELD, "sequence: the sequences of the batch must be between 1"
            + " and " + Sequences.MAX_CLIENT_SEQUENCE + ", got " + firstSequence + " for " + count
            + " message(s)", "sequence");
      }
      if (firstSequence <= queue.lastSequence) {
        throw new FerryException(ErrorCode.SEQUENCE_CONFLICT, "sequence " + firstSequence
            + " is not greater than the queue's last sequence " + queue.lastSequence, "sequence");
      }
      first = firstSequence;
    } else if (queue.lastSequence > Sequences.MAX_SEQUENCE - count) {
      throw new FerryException(ErrorCode.SEQUENCE_CONFLICT, "queue " + queue.info.name()
          + " has used up its sequences (last " + queue.lastSequence + ")");
    }
    long now = runtime.nowMs();
    List<SubscriptionState> subscribers = List.copyOf(queue.subscriptions.values());
    List<StoredMessage> messages = new ArrayList<>(newMessages.size());
    for (NewMessage message : newMessages) {
      long sequence = first + messages.size();
      int delaySeconds = firstNonNull(message.delaySeconds(), batchDelaySeconds,
          queue.info.settings().deliveryDelaySeconds());
      StoredMessage stored = new StoredMessage(MessageIds.newId(queue.id(), sequence), queue.id(), sequence,
          message.key(), message.contentType(), message.body(), now, now + delaySeconds * 1000L);
      messages.add(stored);
      batch.append(stored);
      for (SubscriptionState subscriber : subscribers) {
        // New rows: the sequence is above any the queue ever had (see StoreBatch.CreatePending).
        batch.createPending(subscriber.id(), sequence, stored.availableAtMs());
      }
    }
    queue.lastSequence = first + messages.size() - 1;
    long bytes = queuedBytes(newMessages, subscribers.size());
    runtime.appendBudget.add(bytes);
    return new Append(queue, messages, subscribers, bytes);
  }

  PublishResult applyDurable(Append append) {
    runtime.appendBudget.release(append.queuedBytes());
    QueueState queue = append.queue();
    List<StoredMessage> messages = append.messages();
    if (queue.removed) {
      return new PublishResult(messages, QueueMetrics.EMPTY);
    }
    List<SubscriptionState> live = new ArrayList<>(append.subscribers().size());
    for (SubscriptionState subscriber : append.subscribers()) {
      if (!subscriber.removed) {
        live.add(subscriber);
      }
    }
    long now = runtime.nowMs();
    for (StoredMessage message : messages) {
      // The messages are durable whatever happens here: the producer gets its 200, and a message the hot
      // state could not take is served again after a restart.
      try {
        queue.log.append(message.sequence(), message.timestampMs(), message.availableAtMs(),
            message.body().length, live.size());
        for (SubscriptionState subscriber : live) {
          subscriber.addFresh(message.sequence(), message.availableAtMs(), now);
        }
      } catch (RuntimeException e) {
        runtime.invariantFailed("append of sequence " + message.sequence() + " to queue " + queue.id(), e);
      }
    }
    queue.publishedSequence = Math.max(queue.publishedSequence, messages.get(messages.size() - 1).sequence());
    runtime.meters.of(queue).pushed.add(messages.size());
    runtime.feed.published(new PublishedBatch(queue.id(), messages));
    for (SubscriptionState subscriber : live) {
      deliveries.wake(subscriber);
    }
    return new PublishResult(messages, queue.metrics());
  }

  void abandon(Append append) {
    runtime.appendBudget.release(append.queuedBytes());
  }

  private static long queuedBytes(List<NewMessage> messages, int subscribers) {
    long bytes = 0;
    for (NewMessage message : messages) {
      bytes += message.body().length + MESSAGE_OVERHEAD_BYTES + (long) subscribers * PENDING_OVERHEAD_BYTES;
    }
    return bytes;
  }

  private static int firstNonNull(Integer first, Integer second, int fallback) {
    return first != null ? first : second != null ? second : fallback;
  }
}
