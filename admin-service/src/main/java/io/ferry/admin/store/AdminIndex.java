package io.ferry.admin.store;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.model.EventSubscription;
import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.model.QueueInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

// Every admin record in memory, so that reads never touch disk. Only the store thread mutates it (after the
// matching write is durable); any thread may read.
final class AdminIndex {

  final Map<String, Account> accounts = new ConcurrentHashMap<>();
  final Map<String, ApiKey> keysByHash = new ConcurrentHashMap<>();
  final Map<String, QueueInfo> queues = new ConcurrentHashMap<>();
  final Map<String, QueueConsumer> consumers = new ConcurrentHashMap<>();
  final Map<String, Listener> listeners = new ConcurrentHashMap<>();
  final Map<String, String> settings = new ConcurrentHashMap<>();
  final Map<String, EventSubscription> eventSubscriptions = new ConcurrentHashMap<>();
  private final Map<String, String> queueIdsByName = new ConcurrentHashMap<>();

  void putQueue(QueueInfo queue) {
    QueueInfo previous = queues.put(queue.id(), queue);
    if (previous != null) {
      queueIdsByName.remove(nameKey(previous.accountId(), previous.name()), previous.id());
    }
    queueIdsByName.put(nameKey(queue.accountId(), queue.name()), queue.id());
  }

  void removeQueue(String queueId) {
    QueueInfo removed = queues.remove(queueId);
    if (removed != null) {
      queueIdsByName.remove(nameKey(removed.accountId(), removed.name()), queueId);
    }
  }

  QueueInfo queueByName(String accountId, String name) {
    String id = queueIdsByName.get(nameKey(accountId, name));
    return id == null ? null : queues.get(id);
  }

  List<QueueConsumer> consumersOf(String queueId) {
    return select(consumers, c -> c.queueId().equals(queueId), QueueConsumer::createdAtMs);
  }

  List<Listener> listenersOf(String queueId) {
    return select(listeners, l -> l.queueId().equals(queueId), Listener::createdAtMs);
  }

  // Keys are few and looked up by id only on management routes; authentication goes by hash.
  ApiKey keyById(String keyId) {
    return keysByHash.values().stream().filter(k -> k.id().equals(keyId)).findFirst().orElse(null);
  }

  List<String> eventSubscriptionIdsInto(String queueId) {
    return eventSubscriptions.values().stream()
        .filter(e -> e.destinationQueueId().equals(queueId)).map(EventSubscription::id).toList();
  }

  static <T> List<T> select(Map<String, T> records, Predicate<T> filter, ToLongFunction<T> createdAt) {
    // Creation time orders lists; the map key (the id) breaks ties so that order is stable.
    return records.entrySet().stream()
        .filter(e -> filter.test(e.getValue()))
        .sorted(Comparator.<Map.Entry<String, T>>comparingLong(e -> createdAt.applyAsLong(e.getValue()))
            .thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getValue)
        .toList();
  }

  private static String nameKey(String accountId, String name) {
    // Queue names cannot contain a newline, so this separator cannot collide.
    return accountId + '\n' + name;
  }
}
