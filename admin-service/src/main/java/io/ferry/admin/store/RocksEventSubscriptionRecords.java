package io.ferry.admin.store;

import static io.ferry.admin.store.RocksRecords.EVENT_SUBSCRIPTION;

import io.ferry.admin.model.EventSubscription;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import java.util.List;
import org.rocksdb.RocksDBException;

// Event subscriptions in RocksDB; the destination and duplicate checks run on the store thread with the write.
final class RocksEventSubscriptionRecords implements EventSubscriptionRecords {

  private final StoreAccess store;
  private final AdminIndex index;

  RocksEventSubscriptionRecords(StoreAccess store) {
    this.store = store;
    this.index = store.index;
  }

  @Override
  public Future<Void> insertEventSubscription(EventSubscription subscription) {
    return store.write(records -> put(records, subscription));
  }

  @Override
  public Future<Void> updateEventSubscription(EventSubscription subscription) {
    return store.write(records -> {
      StoreAccess.requireFound(index.eventSubscriptions.get(subscription.id()), "event subscription",
          subscription.id());
      put(records, subscription);
    });
  }

  @Override
  public Future<Void> deleteEventSubscription(String subscriptionId) {
    return store.delete(EVENT_SUBSCRIPTION, index.eventSubscriptions, subscriptionId);
  }

  @Override
  public Future<EventSubscription> eventSubscription(String subscriptionId) {
    return store.read(() -> index.eventSubscriptions.get(subscriptionId));
  }

  @Override
  public Future<List<EventSubscription>> eventSubscriptions(String accountId) {
    return store.read(() -> AdminIndex.select(index.eventSubscriptions, e -> e.accountId().equals(accountId),
        EventSubscription::createdAtMs));
  }

  private void put(RocksRecords records, EventSubscription subscription) throws RocksDBException {
    QueueInfo destination = index.queues.get(subscription.destinationQueueId());
    if (destination == null || !destination.accountId().equals(subscription.accountId())) {
      throw new FerryException(ErrorCode.QUEUE_NOT_FOUND,
          "queue " + subscription.destinationQueueId() + " not found", "destination.queue_id");
    }
    boolean duplicate = index.eventSubscriptions.values().stream().anyMatch(other ->
        !other.id().equals(subscription.id()) && other.accountId().equals(subscription.accountId())
            && other.sourceType().equals(subscription.sourceType())
            && other.destinationQueueId().equals(subscription.destinationQueueId()));
    if (duplicate) {
      throw new FerryException(ErrorCode.METHOD_NOT_ALLOWED, "an event subscription with source "
          + subscription.sourceType() + " and destination queue " + subscription.destinationQueueId()
          + " already exists; multiple subscriptions on the same resource are not supported");
    }
    records.put(EVENT_SUBSCRIPTION, subscription.id(), subscription.toJson());
    index.eventSubscriptions.put(subscription.id(), subscription);
  }
}
