package io.ferry.admin.store;

import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import java.util.List;

/**
 * Queues: one area of an {@link AdminStore}, under its general contract. Queue names are unique per account
 * (NAME_TAKEN, field {@code queue_name}).
 */
public interface QueueRecords {

  Future<Void> insertQueue(QueueInfo queue);

  /**
   * Overwrites an existing queue; fails QUEUE_NOT_FOUND when it is gone, NAME_TAKEN (field {@code queue_name})
   * when its new name is another queue's in the account.
   */
  Future<Void> updateQueue(QueueInfo queue);

  /**
   * Deletes the queue together with its consumers, its listeners and the event subscriptions that deliver into
   * it, atomically; a missing queue is a no-op.
   */
  Future<Void> deleteQueue(String queueId);

  Future<QueueInfo> queue(String queueId);

  Future<QueueInfo> queueByName(String accountId, String name);

  Future<List<QueueInfo>> queues(String accountId);

  Future<List<QueueInfo>> allQueues();
}
