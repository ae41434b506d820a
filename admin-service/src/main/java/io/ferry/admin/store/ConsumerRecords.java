package io.ferry.admin.store;

import io.ferry.admin.model.QueueConsumer;
import io.vertx.core.Future;
import java.util.List;

/**
 * Consumers of queues: one area of an {@link AdminStore}, under its general contract. A consumer only attaches to
 * an existing queue (QUEUE_NOT_FOUND), and a queue has at most one consumer of each type (CONSUMER_CONFLICT).
 */
public interface ConsumerRecords {

  Future<Void> insertConsumer(QueueConsumer consumer);

  /** Overwrites an existing consumer; fails NOT_FOUND when it is gone. */
  Future<Void> updateConsumer(QueueConsumer consumer);

  Future<Void> deleteConsumer(String consumerId);

  /** The consumer with this id, or {@code null}. */
  Future<QueueConsumer> consumer(String consumerId);

  Future<List<QueueConsumer>> consumers(String queueId);

  Future<List<QueueConsumer>> allConsumers();
}
