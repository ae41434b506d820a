package io.ferry.admin.store;

import static io.ferry.admin.store.RocksRecords.CONSUMER;
import static io.ferry.admin.store.RocksRecords.EVENT_SUBSCRIPTION;
import static io.ferry.admin.store.RocksRecords.LISTENER;
import static io.ferry.admin.store.RocksRecords.QUEUE;

import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.admin.store.RocksRecords.KindIds;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import java.util.List;
import org.rocksdb.RocksDBException;

// Queues in RocksDB. Deleting a queue also deletes what hangs off it, in one batch, so that no consumer,
// listener or event subscription outlives its queue.
final class RocksQueueRecords implements QueueRecords {

  private final StoreAccess store;
  private final AdminIndex index;

  RocksQueueRecords(StoreAccess store) {
    this.store = store;
    this.index = store.index;
  }

  @Override
  public Future<Void> insertQueue(QueueInfo queue) {
    return store.write(records -> {
      requireNameFree(queue, null);
      put(records, queue);
    });
  }

  @Override
  public Future<Void> updateQueue(QueueInfo queue) {
    return store.write(records -> {
      store.requireQueue(queue.id());
      requireNameFree(queue, queue.id());
      put(records, queue);
    });
  }

  @Override
  public Future<Void> deleteQueue(String queueId) {
    return store.write(records -> {
      List<QueueConsumer> consumers = index.consumersOf(queueId);
      List<Listener> listeners = index.listenersOf(queueId);
      List<String> eventSubscriptions = index.eventSubscriptionIdsInto(queueId);
      records.deleteAll(List.of(new KindIds(QUEUE, List.of(queueId)),
          new KindIds(CONSUMER, consumers.stream().map(QueueConsumer::id).toList()),
          new KindIds(LISTENER, listeners.stream().map(Listener::id).toList()),
          new KindIds(EVENT_SUBSCRIPTION, eventSubscriptions)));
      consumers.forEach(c -> index.consumers.remove(c.id()));
      listeners.forEach(l -> index.listeners.remove(l.id()));
      eventSubscriptions.forEach(index.eventSubscriptions::remove);
      index.removeQueue(queueId);
    });
  }

  @Override
  public Future<QueueInfo> queue(String queueId) {
    return store.read(() -> index.queues.get(queueId));
  }

  @Override
  public Future<QueueInfo> queueByName(String accountId, String name) {
    return store.read(() -> index.queueByName(accountId, name));
  }

  @Override
  public Future<List<QueueInfo>> queues(String accountId) {
    return store.read(() -> AdminIndex.select(index.queues, q -> q.accountId().equals(accountId),
        QueueInfo::createdAtMs));
  }

  @Override
  public Future<List<QueueInfo>> allQueues() {
    return store.read(() -> AdminIndex.select(index.queues, q -> true, QueueInfo::createdAtMs));
  }

  // exceptId: the queue being updated, which may keep its own name (null on insert).
  private void requireNameFree(QueueInfo queue, String exceptId) {
    QueueInfo named = index.queueByName(queue.accountId(), queue.name());
    if (named != null && !named.id().equals(exceptId)) {
      throw new FerryException(ErrorCode.NAME_TAKEN, "a queue named '" + queue.name() + "' already exists",
          "queue_name");
    }
  }

  private void put(RocksRecords records, QueueInfo queue) throws RocksDBException {
    records.put(QUEUE, queue.id(), queue.toJson());
    index.putQueue(queue);
  }
}
