package io.ferry.admin.core;

import io.ferry.admin.bus.AdminEvents;
import io.ferry.admin.bus.MessagingCommands;
import io.ferry.admin.store.AdminStore;
import io.ferry.admin.store.QueueConsumer;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
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

  private final AdminStore store;
  private final QueueService queues;
  private final MessagingCommands messaging;
  private final AdminEvents events;

  public ConsumerService(AdminStore store, QueueService queues, MessagingCommands messaging, AdminEvents events) {
    this.store = store;
    this.queues = queues;
    this.messaging = messaging;
    this.events = events;
  }

  /** Adds the queue's http_pull consumer; {@code deadLetterQueueName} may be {@code null}. */
  public Future<QueueConsumer> createPull(String accountId, String queueId, String deadLetterQueueName,
      ConsumerSettings settings) {
    return queues.get(accountId, queueId)
        .compose(queue -> requireNoPullConsumer(queue)
            .compose(v -> deadLetterQueue(queue, deadLetterQueueName))
            .compose(deadLetter -> {
              QueueConsumer consumer = new QueueConsumer(Ids.newId(), accountId, queueId,
                  QueueConsumer.HTTP_PULL, deadLetter.queue() == null ? null : deadLetter.queue().id(),
                  settings.batchSize(), settings.maxRetries(), settings.retryDelaySeconds(),
                  settings.visibilityTimeoutMs(), System.currentTimeMillis());
              return storeAndCommand(consumer)
                  .recover(failure -> deadLetter.created()
                      ? Compensation.revert(queues.undoCreate(deadLetter.queue()), failure)
                      : Future.failedFuture(failure))
                  .onSuccess(v -> {
                    if (deadLetter.created()) {
                      queues.announceCreated(deadLetter.queue());
                    }
                    events.publish(EventTypes.CONSUMER_CREATED, accountId, consumer.id(),
                        QueueService.payload(queue).put("consumer_id", consumer.id())
                            .put("type", consumer.type()));
                  })
                  .map(consumer);
            }));
  }

  public Future<List<QueueConsumer>> list(String accountId, String queueId) {
    return queues.get(accountId, queueId).compose(queue -> store.consumers(queueId));
  }

  private Future<Void> storeAndCommand(QueueConsumer consumer) {
    return store.insertConsumer(consumer)
        .compose(v -> messaging.upsertSubscription(Subscriptions.of(consumer)).recover(failure -> {
          // The command may have been applied even though its answer was lost.
          Compensation.bestEffort(messaging.deleteSubscription(consumer.accountId(), consumer.id()),
              "removing subscription " + consumer.id() + " from messaging-service");
          return Compensation.revert(store.deleteConsumer(consumer.id()), failure);
        }));
  }

  private Future<Void> requireNoPullConsumer(QueueInfo queue) {
    return store.consumers(queue.id()).compose(consumers -> consumers.stream()
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
    return store.queueByName(queue.accountId(), name).compose(existing -> existing != null
        ? Future.succeededFuture(new DeadLetter(existing, false))
        : queues.createQuietly(queue.accountId(), name, QueueSettings.DEFAULTS)
            .map(created -> new DeadLetter(created, true))
            .recover(failure -> QueueService.nameTaken(failure)
                ? store.queueByName(queue.accountId(), name).map(raced -> new DeadLetter(raced, false))
                : Future.failedFuture(failure)));
  }
}
