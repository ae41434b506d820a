package io.ferry.admin.core;

import io.ferry.admin.model.QueueConsumer;
import io.ferry.admin.store.ConsumerRecords;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

// Keeps consumers from pointing at a dead-letter queue that no longer exists.
final class DeadLetterReferences {

  private final ConsumerRecords records;
  private final MessagingCommands messaging;

  DeadLetterReferences(ConsumerRecords records, MessagingCommands messaging) {
    this.records = records;
    this.messaging = messaging;
  }

  // Clears the dead-letter queue of every consumer that used deleted. The queue is already gone, so this
  // cannot fail the request: failures are logged and reconciled later.
  Future<Void> detach(QueueInfo deleted) {
    return records.allConsumers().compose(consumers -> {
      List<Future<Void>> updates = new ArrayList<>();
      for (QueueConsumer consumer : consumers) {
        if (deleted.id().equals(consumer.deadLetterQueueId())) {
          QueueConsumer detached = consumer.withDeadLetterQueueId(null);
          Future<Void> update = records.updateConsumer(detached)
              .compose(v -> messaging.upsertSubscription(Subscriptions.of(detached)));
          Compensation.bestEffort(update, "detaching dead-letter queue from consumer " + consumer.id());
          updates.add(update.otherwiseEmpty());
        }
      }
      return Future.join(updates).mapEmpty();
    });
  }
}
