package io.ferry.admin.store;

import static io.ferry.admin.store.RocksRecords.ACCOUNT;
import static io.ferry.admin.store.RocksRecords.API_KEY;
import static io.ferry.admin.store.RocksRecords.CONSUMER;
import static io.ferry.admin.store.RocksRecords.LISTENER;
import static io.ferry.admin.store.RocksRecords.QUEUE;
import static io.ferry.admin.store.RocksRecords.SETTING;

import io.ferry.admin.store.RocksRecords.KindIds;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rocksdb.RocksDBException;

/**
 * {@link AdminStore} on embedded RocksDB: every write synced to the WAL before it is acknowledged, all I/O
 * on one dedicated thread, and the whole data set loaded into an {@link AdminIndex} at open so that reads
 * never touch disk.
 */
public final class RocksAdminStore implements AdminStore {

  private final StoreThread thread;
  private final AdminIndex index = new AdminIndex();
  private RocksRecords records;
  private volatile boolean open;

  private RocksAdminStore(Vertx vertx) {
    this.thread = new StoreThread(vertx, "ferry-admin-store");
  }

  /** Opens (creating if needed) the database in {@code dir} and loads every record into memory. */
  public static Future<RocksAdminStore> open(Vertx vertx, Path dir) {
    RocksAdminStore store = new RocksAdminStore(vertx);
    return store.thread.submit(() -> {
      store.records = RocksRecords.open(dir, store.index);
      store.open = true;
      return store;
    });
  }

  // --- accounts and keys -------------------------------------------------------------------

  @Override
  public Future<Void> insertAccount(Account account) {
    return write(() -> {
      records.put(ACCOUNT, account.id(), account.toJson());
      index.accounts.put(account.id(), account);
    });
  }

  @Override
  public Future<Account> account(String accountId) {
    return read(() -> index.accounts.get(accountId));
  }

  @Override
  public Future<Account> accountByName(String name) {
    return read(() -> AdminIndex.select(index.accounts, a -> a.name().equals(name), Account::createdAtMs)
        .stream().findFirst().orElse(null));
  }

  @Override
  public Future<List<Account>> accounts() {
    return read(() -> AdminIndex.select(index.accounts, a -> true, Account::createdAtMs));
  }

  @Override
  public Future<Void> insertApiKey(ApiKey key) {
    return write(() -> {
      records.put(API_KEY, key.id(), key.toJson());
      index.keysByHash.put(key.keyHash(), key);
    });
  }

  @Override
  public Future<ApiKey> apiKeyByHash(String keyHash) {
    return read(() -> index.keysByHash.get(keyHash));
  }

  @Override
  public Future<List<ApiKey>> apiKeys(String accountId) {
    return read(() -> AdminIndex.select(index.keysByHash, k -> k.accountId().equals(accountId),
        ApiKey::createdAtMs));
  }

  // --- queues --------------------------------------------------------------------------------

  @Override
  public Future<Void> insertQueue(QueueInfo queue) {
    return write(() -> {
      if (index.queueByName(queue.accountId(), queue.name()) != null) {
        throw new FerryException(ErrorCode.NAME_TAKEN, "a queue named '" + queue.name() + "' already exists",
            "queue_name");
      }
      records.put(QUEUE, queue.id(), queue.toJson());
      index.putQueue(queue);
    });
  }

  @Override
  public Future<QueueInfo> queue(String queueId) {
    return read(() -> index.queues.get(queueId));
  }

  @Override
  public Future<QueueInfo> queueByName(String accountId, String name) {
    return read(() -> index.queueByName(accountId, name));
  }

  @Override
  public Future<List<QueueInfo>> queues(String accountId) {
    return read(() -> AdminIndex.select(index.queues, q -> q.accountId().equals(accountId),
        QueueInfo::createdAtMs));
  }

  @Override
  public Future<List<QueueInfo>> allQueues() {
    return read(() -> AdminIndex.select(index.queues, q -> true, QueueInfo::createdAtMs));
  }

  @Override
  public Future<Void> deleteQueue(String queueId) {
    return write(() -> {
      List<QueueConsumer> consumers = index.consumersOf(queueId);
      List<Listener> listeners = index.listenersOf(queueId);
      records.deleteAll(List.of(new KindIds(QUEUE, List.of(queueId)),
          new KindIds(CONSUMER, consumers.stream().map(QueueConsumer::id).toList()),
          new KindIds(LISTENER, listeners.stream().map(Listener::id).toList())));
      consumers.forEach(c -> index.consumers.remove(c.id()));
      listeners.forEach(l -> index.listeners.remove(l.id()));
      index.removeQueue(queueId);
    });
  }

  // --- consumers -----------------------------------------------------------------------------

  @Override
  public Future<Void> insertConsumer(QueueConsumer consumer) {
    return write(() -> {
      requireQueue(consumer.queueId());
      boolean taken = index.consumersOf(consumer.queueId()).stream()
          .anyMatch(existing -> existing.type().equals(consumer.type()));
      if (taken) {
        throw new FerryException(ErrorCode.CONSUMER_CONFLICT,
            "the queue already has an " + consumer.type() + " consumer; a queue has at most one");
      }
      records.put(CONSUMER, consumer.id(), consumer.toJson());
      index.consumers.put(consumer.id(), consumer);
    });
  }

  @Override
  public Future<Void> updateConsumer(QueueConsumer consumer) {
    return write(() -> {
      if (!index.consumers.containsKey(consumer.id())) {
        throw new FerryException(ErrorCode.NOT_FOUND, "consumer " + consumer.id() + " not found");
      }
      records.put(CONSUMER, consumer.id(), consumer.toJson());
      index.consumers.put(consumer.id(), consumer);
    });
  }

  @Override
  public Future<Void> deleteConsumer(String consumerId) {
    return write(() -> {
      records.delete(CONSUMER, consumerId);
      index.consumers.remove(consumerId);
    });
  }

  @Override
  public Future<List<QueueConsumer>> consumers(String queueId) {
    return read(() -> index.consumersOf(queueId));
  }

  @Override
  public Future<List<QueueConsumer>> allConsumers() {
    return read(() -> AdminIndex.select(index.consumers, c -> true, QueueConsumer::createdAtMs));
  }

  // --- listeners -----------------------------------------------------------------------------

  @Override
  public Future<Void> insertListener(Listener listener) {
    return write(() -> {
      requireQueue(listener.queueId());
      records.put(LISTENER, listener.id(), listener.toJson());
      index.listeners.put(listener.id(), listener);
    });
  }

  @Override
  public Future<Void> deleteListener(String listenerId) {
    return write(() -> {
      records.delete(LISTENER, listenerId);
      index.listeners.remove(listenerId);
    });
  }

  @Override
  public Future<Listener> listener(String listenerId) {
    return read(() -> index.listeners.get(listenerId));
  }

  @Override
  public Future<List<Listener>> listeners(String queueId) {
    return read(() -> index.listenersOf(queueId));
  }

  @Override
  public Future<List<Listener>> accountListeners(String accountId) {
    return read(() -> AdminIndex.select(index.listeners, l -> l.accountId().equals(accountId),
        Listener::createdAtMs));
  }

  @Override
  public Future<List<Listener>> allListeners() {
    return read(() -> AdminIndex.select(index.listeners, l -> true, Listener::createdAtMs));
  }

  // --- settings ------------------------------------------------------------------------------

  @Override
  public Future<String> settingOrInit(String name, String initial) {
    return thread.submit(() -> {
      requireOpen();
      String kept = index.settings.get(name);
      if (kept == null) {
        records.put(SETTING, name, new JsonObject().put("name", name).put("value", initial));
        index.settings.put(name, initial);
        kept = initial;
      }
      return kept;
    });
  }

  // --- lifecycle -----------------------------------------------------------------------------

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Future<Void> close() {
    open = false;
    return thread.finish(() -> {
      if (records != null) {
        records.close();
        records = null;
      }
      return null;
    });
  }

  // --- helpers -------------------------------------------------------------------------------

  private interface Write {
    void run() throws RocksDBException;
  }

  private Future<Void> write(Write work) {
    return thread.submit(() -> {
      requireOpen();
      work.run();
      return null;
    });
  }

  private <T> Future<T> read(Callable<T> lookup) {
    if (!open) {
      return Future.failedFuture(closed());
    }
    try {
      return Future.succeededFuture(lookup.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private void requireOpen() {
    // Writes queued before close() still run: records is cleared only by the close task, which runs last.
    if (records == null) {
      throw closed();
    }
  }

  private void requireQueue(String queueId) {
    if (!index.queues.containsKey(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + queueId + " not found");
    }
  }

  private static FerryException closed() {
    return new FerryException(ErrorCode.UNAVAILABLE, "the admin store is closed");
  }
}
