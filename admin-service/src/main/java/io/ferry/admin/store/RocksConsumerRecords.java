package io.ferry.admin.store;

import static io.ferry.admin.store.RocksRecords.CONSUMER;

import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.util.List;
import org.rocksdb.RocksDBException;

// Queue consumers in RocksDB; the queue and one-per-type checks run on the store thread with the write.
final class RocksConsumerRecords implements ConsumerRecords {

  private final StoreAccess store;
  private final AdminIndex index;

  RocksConsumerRecords(StoreAccess store) {
    this.store = store;
    this.index = store.index;
  }

  @Override
  public Future<Void> insertConsumer(QueueConsumer consumer) {
    return store.write(records -> {
      store.requireQueue(consumer.queueId());
      // Ids are never reused: a client-chosen id (Cloudflare's PUT) must not be another record's.
      if (index.consumers.containsKey(consumer.id()) || index.listeners.containsKey(consumer.id())) {
        throw new FerryException(ErrorCode.NOT_FOUND, "consumer " + consumer.id() + " not found", "consumer_id");
      }
      boolean taken = index.consumersOf(consumer.queueId()).stream()
          .anyMatch(existing -> existing.type().equals(consumer.type()));
      if (taken) {
        throw new FerryException(ErrorCode.CONSUMER_CONFLICT,
            "the queue already has an " + consumer.type() + " consumer; a queue has at most one");
      }
      put(records, consumer);
    });
  }

  @Override
  public Future<Void> updateConsumer(QueueConsumer consumer) {
    return store.write(records -> {
      StoreAccess.requireFound(index.consumers.get(consumer.id()), "consumer", consumer.id());
      put(records, consumer);
    });
  }

  @Override
  public Future<Void> deleteConsumer(String consumerId) {
    return store.delete(CONSUMER, index.consumers, consumerId);
  }

  @Override
  public Future<QueueConsumer> consumer(String consumerId) {
    return store.read(() -> index.consumers.get(consumerId));
  }

  @Override
  public Future<List<QueueConsumer>> consumers(String queueId) {
    return store.read(() -> index.consumersOf(queueId));
  }

  @Override
  public Future<List<QueueConsumer>> allConsumers() {
    return store.read(() -> AdminIndex.select(index.consumers, c -> true, QueueConsumer::createdAtMs));
  }

  private void put(RocksRecords records, QueueConsumer consumer) throws RocksDBException {
    records.put(CONSUMER, consumer.id(), consumer.toJson());
    index.consumers.put(consumer.id(), consumer);
  }
}
