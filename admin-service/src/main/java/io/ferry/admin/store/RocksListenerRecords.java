package io.ferry.admin.store;

import static io.ferry.admin.store.RocksRecords.LISTENER;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.UnaryOperator;
import org.rocksdb.RocksDBException;

// Webhook listeners in RocksDB; name checks and read-modify-write changes run on the store thread.
final class RocksListenerRecords implements ListenerRecords {

  private final StoreAccess store;
  private final AdminIndex index;

  RocksListenerRecords(StoreAccess store) {
    this.store = store;
    this.index = store.index;
  }

  @Override
  public Future<Void> insertListener(Listener listener) {
    return store.write(records -> {
      store.requireQueue(listener.queueId());
      requireNameFree(listener);
      put(records, listener);
    });
  }

  @Override
  public Future<Listener> updateListener(String listenerId, UnaryOperator<Listener> change) {
    return store.submit(records -> {
      Listener current = StoreAccess.requireFound(index.listeners.get(listenerId), "listener", listenerId);
      Listener changed = change.apply(current);
      if (!changed.equals(current)) {
        requireNameFree(changed);
        put(records, changed);
      }
      return changed;
    });
  }

  @Override
  public Future<Void> deleteListener(String listenerId) {
    return store.delete(LISTENER, index.listeners, listenerId);
  }

  @Override
  public Future<Listener> listener(String listenerId) {
    return store.read(() -> index.listeners.get(listenerId));
  }

  @Override
  public Future<List<Listener>> listeners(String queueId) {
    return store.read(() -> index.listenersOf(queueId));
  }

  @Override
  public Future<List<Listener>> accountListeners(String accountId) {
    return store.read(() -> AdminIndex.select(index.listeners, l -> l.accountId().equals(accountId),
        Listener::createdAtMs));
  }

  @Override
  public Future<List<Listener>> allListeners() {
    return store.read(() -> AdminIndex.select(index.listeners, l -> true, Listener::createdAtMs));
  }

  private void requireNameFree(Listener listener) {
    boolean taken = index.listenersOf(listener.queueId()).stream()
        .anyMatch(other -> other.name().equals(listener.name()) && !other.id().equals(listener.id()));
    if (taken) {
      throw new FerryException(ErrorCode.NAME_TAKEN,
          "name: the queue already has a listener named '" + listener.name() + "'", "name");
    }
  }

  private void put(RocksRecords records, Listener listener) throws RocksDBException {
    records.put(LISTENER, listener.id(), listener.toJson());
    index.listeners.put(listener.id(), listener);
  }
}
