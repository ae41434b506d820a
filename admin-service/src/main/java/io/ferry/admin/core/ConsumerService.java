package io.ferry.admin.core;

import io.ferry.admin.model.QueueConsumer;
import io.ferry.admin.store.ConsumerRecords;
import io.ferry.admin.store.ListenerRecords;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Future;
import java.util.List;

/**
 * Consumers of queues. Creating one may also create its dead-letter queue; if any step fails, everything
 * the request created is undone, and events are published only once the whole request has succeeded.
 */
public final class ConsumerService {

  private final ConsumerRecords consumers;
  private final ListenerRecords listeners;
  private final QueueService queues;
  private final MessagingCommands messaging;
  private final AdminEvents events;

  public ConsumerService(ConsumerRecords consumers, ListenerRecords listeners, QueueService queues,
      MessagingCommands messaging, AdminEvents events) {
    this.consumers = consumers;
    this.listeners = listeners;
    this.queues = queues;
    this.messaging = messaging;
    this.events = events;
  }

  /** Adds the queue's http_pull consumer; {@code deadLetterQueueName} may be {@code null}. */
  public Future<QueueConsumer> createPull(String accountId, String queueId, String deadLetterQueueName,
      ConsumerSettings settings) {
    return queues.get(accountId, queueId)
        .compose(queue -> createPull(queue, Ids.newId(), deadLetterQueueName, settings));
  }

  /** The queue's consumer with this id, else NOT_FOUND; {@code queue} is already resolved for the caller. */
  public Future<QueueConsumer> get(QueueInfo queue, String consumerId) {
    return consumers.consumer(consumerId).compose(consumer -> consumer != null && consumer.queueId().equals(queue.id())
        ? Future.succeededFuture(consumer)
        : Future.failedFuture(notFound(consumerId)));
  }

  /**
   * Cloudflare's PUT: overwrites the settings and dead-letter queue of the queue's consumer with this id, or
   * creates the queue's http_pull consumer with this id when there is none. An id that is another queue's
   * consumer, or any listener's, is NOT_FOUND here.
   */
  public Future<QueueConsumer> upsertPull(QueueInfo queue, String consumerId, String deadLetterQueueName,
      ConsumerSettings settings) {
    return consumers.consumer(consumerId).compose(existing -> {
      if (existing == null) {
        // The id also names the subscription in messaging-service, where listeners' ids live: taking a
        // listener's id would take over (or, on failure, remove) that listener's deliveries, in any account.
        return listeners.listener(consumerId).compose(listener -> listener != null
            ? Future.failedFuture(notFound(consumerId))
            : createPull(queue, consumerId, deadLetterQueueName, settings));
      }
      if (!existing.queueId().equals(queue.id())) {
        return Future.failedFuture(notFound(consumerId));
      }
      return replace(queue, existing, deadLetterQueueName, settings);
    });
  }

  /** Removes the queue's consumer from messaging-service, then here; announces {@code consumer.deleted}. */
  public Future<Void> delete(QueueInfo queue, String consumerId) {
    return get(queue, consumerId).compose(consumer -> messaging.deleteSubscription(queue.accountId(), consumerId)
        .compose(v -> consumers.deleteConsumer(consumerId))
        .onSuccess(v -> events.publish(EventTypes.CONSUMER_DELETED, queue.accountId(), consumerId,
            QueueService.payload(queue).put("consumer_id", consumerId))));
  }

  private Future<QueueConsumer> createPull(QueueInfo queue, String consumerId, String deadLetterQueueName,
      ConsumerSettings settings) {
    return requireNoPullConsumer(queue)
        .compose(v -> deadLetterQueue(queue, deadLetterQueueName))
        .compose(deadLetter -> {
          QueueConsumer consumer = new QueueConsumer(consumerId, queue.accountId(), queue.id(),
              QueueConsumer.HTTP_PULL, deadLetter.queue() == null ? null : deadLetter.queue().id(),
              settings.batchSize(), settings.maxRetries(), settings.retryDelaySeconds(),
              settings.visibilityTimeoutMs(), System.currentTimeMillis(), settings.maxWaitTimeMs(),
              settings.maxConcurrency());
          return undoingDeadLetterQueue(deadLetter, storeAndCommand(consumer))
              .onSuccess(v -> events.publish(EventTypes.CONSUMER_CREATED, queue.accountId(), consumer.id(),
                  QueueService.payload(queue).put("consumer_id", consumer.id()).put("type", consumer.type())))
              .map(consumer);
        });
  }

  private Future<QueueConsumer> replace(QueueInfo queue, QueueConsumer existing, String deadLetterQueueName,
      ConsumerSettings settings) {
    return deadLetterQueue(queue, deadLetterQueueName).compose(deadLetter -> {
      QueueConsumer updated = new QueueConsumer(existing.id(), existing.accountId(), existing.queueId(),
          existing.type(), deadLetter.queue() == null ? null : deadLetter.queue().id(), settings.batchSize(),
          settings.maxRetries(), settings.retryDelaySeconds(), settings.visibilityTimeoutMs(),
          existing.createdAtMs(), settings.maxWaitTimeMs(), settings.maxConcurrency());
      Future<Void> applied = consumers.updateConsumer(updated)
          .compose(v -> messaging.upsertSubscription(Subscriptions.of(updated)).recover(failure -> {
            // The command may have been applied even though its answer was lost.
            Compensation.bestEffort(messaging.upsertSubscription(Subscriptions.of(existing)),
                "restoring subscription " + existing.id() + " in messaging-service");
            return Compensation.revert(consumers.updateConsumer(existing), failure);
          }));
      return undoingDeadLetterQueue(deadLetter, applied).map(updated);
    });
  }

  // The request's outcome, with the dead-letter queue it created removed on failure and announced on success.
  private Future<Void> undoingDeadLetterQueue(DeadLetter deadLetter, Future<Void> outcome) {
    return outcome
        .recover(failure -> deadLetter.created()
            ? Compensation.revert(queues.undoCreate(deadLetter.queue()), failure)
            : Future.failedFuture(failure))
        .onSuccess(v -> {
          if (deadLetter.created()) {
            queues.announceCreated(deadLetter.queue());
          }
        });
  }

  private static FerryException notFound(String consumerId) {
    return new FerryException(ErrorCode.NOT_FOUND, "consumer " + consumerId + " not found", "consumer_id");
  }

  public Future<List<QueueConsumer>> list(String accountId, String queueId) {
    return queues.get(accountId, queueId).compose(queue -> consumers.consumers(queueId));
  }

  private Future<Void> storeAndCommand(QueueConsumer consumer) {
    return consumers.insertConsumer(consumer)
        .compose(v -> messaging.upsertSubscription(Subscriptions.of(consumer)).recover(failure -> {
          // The command may have been applied even though its answer was lost.
          Compensation.bestEffort(messaging.deleteSubscription(consumer.accountId(), consumer.id()),
              "removing subscription " + consumer.id() + " from messaging-service");
          return Compensation.revert(consumers.deleteConsumer(consumer.id()), failure);
        }));
  }

  private Future<Void> requireNoPullConsumer(QueueInfo queue) {
    return consumers.consumers(queue.id()).compose(existing -> existing.stream()
        .anyMatch(c -> c.type().equals(QueueConsumer.HTTP_PULL))
        ? Future.failedFuture(new FerryException(ErrorCode.CONSUMER_CONFLICT,
            "queue '" + queue.name() + "' already has an http_pull consumer; a queue has at most one"))
        : Future.succeededFuture());
  }

  private record DeadLetter(QueueInfo queue, boolean created) {
  }

  private Future<DeadLetter> deadLetterQueue(QueueInfo queue, String name) {
    if (name == null || name.isEmpty()) {
      return Future.succeededFuture(new DeadLetter(null, false));
    }
    QueueNames.require("dead_letter_queue", name);
    if (name.equals(queue.name())) {
      return Future.failedFuture(FerryException.invalidField("dead_letter_queue",
          "must name another queue than the one being consumed"));
    }
    return queues.named(queue.accountId(), name).compose(existing -> existing != null
        ? Future.succeededFuture(new DeadLetter(existing, false))
        : queues.createQuietly(queue.accountId(), name, QueueSettings.DEFAULTS)
            .map(created -> new DeadLetter(created, true))
            .recover(failure -> QueueService.nameTaken(failure)
                ? queues.named(queue.accountId(), name).map(raced -> new DeadLetter(raced, false))
                : Future.failedFuture(failure)));
  }
}
