package io.ferry.admin.store;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.model.AuditPage;
import io.ferry.admin.model.EventSubscription;
import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * {@link AdminStore} on embedded RocksDB: every write synced to the WAL before it is acknowledged, all I/O
 * on one dedicated thread, and the whole data set (but the audit trails) loaded into memory at open so that
 * reads never touch disk.
 */
public final class RocksAdminStore implements AdminStore {

  // Each area is implemented on its own; this class opens and closes what they share and hands calls on.
  private final StoreAccess store;
  private final AccountRecords accountArea;
  private final QueueRecords queueArea;
  private final ConsumerRecords consumerArea;
  private final ListenerRecords listenerArea;
  private final EventSubscriptionRecords subscriptionArea;
  private final AuditRecords auditArea;
  private final SettingRecords settingArea;

  private RocksAdminStore(StoreAccess store, EventLog events) {
    this.store = store;
    this.accountArea = new RocksAccountRecords(store);
    this.queueArea = new RocksQueueRecords(store);
    this.consumerArea = new RocksConsumerRecords(store);
    this.listenerArea = new RocksListenerRecords(store);
    this.subscriptionArea = new RocksEventSubscriptionRecords(store);
    this.auditArea = new RocksAuditRecords(store, events);
    this.settingArea = new RocksSettingRecords(store);
  }

  /** Opens (creating if needed) the database in {@code dir} and loads every record into memory. */
  public static Future<RocksAdminStore> open(Vertx vertx, Path dir) {
    return open(vertx, dir, null);
  }

  /**
   * Like {@link #open(Vertx, Path)}, sealing the secrets it stores with {@code secretsKey} (AES-256-GCM; secrets
   * stored in clear before are sealed at once). Fails when sealed secrets are there and the key does not open
   * them, or is missing.
   */
  public static Future<RocksAdminStore> open(Vertx vertx, Path dir, String secretsKey) {
    return open(vertx, dir, MAX_EVENTS_PER_ACCOUNT, SecretSeal.of(secretsKey));
  }

  // With a smaller audit-trail bound, so that tests can reach it.
  static Future<RocksAdminStore> open(Vertx vertx, Path dir, int maxEventsPerAccount) {
    return open(vertx, dir, maxEventsPerAccount, SecretSeal.NONE);
  }

  private static Future<RocksAdminStore> open(Vertx vertx, Path dir, int maxEventsPerAccount, SecretSeal seal) {
    StoreAccess store = new StoreAccess(vertx);
    return store.open(dir, seal,
        records -> new RocksAdminStore(store, EventLog.open(records, maxEventsPerAccount)));
  }

  @Override
  public boolean isOpen() {
    return store.isOpen();
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }

  // --- accounts and keys
  @Override
  public Future<Void> insertAccount(Account account) { return accountArea.insertAccount(account); }
  @Override
  public Future<Void> insertAccountWithKey(Account account, ApiKey key) {
    return accountArea.insertAccountWithKey(account, key);
  }
  @Override
  public Future<Account> account(String accountId) { return accountArea.account(accountId); }
  @Override
  public Future<Account> accountByName(String name) { return accountArea.accountByName(name); }
  @Override
  public Future<List<Account>> accounts() { return accountArea.accounts(); }
  @Override
  public Future<Void> insertApiKey(ApiKey key) { return accountArea.insertApiKey(key); }
  @Override
  public Future<Void> updateApiKey(ApiKey key) { return accountArea.updateApiKey(key); }
  @Override
  public Future<Void> deleteApiKey(String keyId) { return accountArea.deleteApiKey(keyId); }
  @Override
  public Future<ApiKey> apiKey(String keyId) { return accountArea.apiKey(keyId); }
  @Override
  public Future<ApiKey> apiKeyByHash(String keyHash) { return accountArea.apiKeyByHash(keyHash); }
  @Override
  public Future<List<ApiKey>> apiKeys(String accountId) { return accountArea.apiKeys(accountId); }

  // --- queues
  @Override
  public Future<Void> insertQueue(QueueInfo queue) { return queueArea.insertQueue(queue); }
  @Override
  public Future<Void> updateQueue(QueueInfo queue) { return queueArea.updateQueue(queue); }
  @Override
  public Future<Void> deleteQueue(String queueId) { return queueArea.deleteQueue(queueId); }
  @Override
  public Future<QueueInfo> queue(String queueId) { return queueArea.queue(queueId); }
  @Override
  public Future<QueueInfo> queueByName(String accountId, String name) { return queueArea.queueByName(accountId, name); }
  @Override
  public Future<List<QueueInfo>> queues(String accountId) { return queueArea.queues(accountId); }
  @Override
  public Future<List<QueueInfo>> allQueues() { return queueArea.allQueues(); }

  // --- consumers
  @Override
  public Future<Void> insertConsumer(QueueConsumer consumer) { return consumerArea.insertConsumer(consumer); }
  @Override
  public Future<Void> updateConsumer(QueueConsumer consumer) { return consumerArea.updateConsumer(consumer); }
  @Override
  public Future<Void> deleteConsumer(String consumerId) { return consumerArea.deleteConsumer(consumerId); }
  @Override
  public Future<QueueConsumer> consumer(String consumerId) { return consumerArea.consumer(consumerId); }
  @Override
  public Future<List<QueueConsumer>> consumers(String queueId) { return consumerArea.consumers(queueId); }
  @Override
  public Future<List<QueueConsumer>> allConsumers() { return consumerArea.allConsumers(); }

  // --- listeners
  @Override
  public Future<Void> insertListener(Listener listener) { return listenerArea.insertListener(listener); }
  @Override
  public Future<Listener> updateListener(String listenerId, UnaryOperator<Listener> change) {
    return listenerArea.updateListener(listenerId, change);
  }
  @Override
  public Future<Void> deleteListener(String listenerId) { return listenerArea.deleteListener(listenerId); }
  @Override
  public Future<Listener> listener(String listenerId) { return listenerArea.listener(listenerId); }
  @Override
  public Future<List<Listener>> listeners(String queueId) { return listenerArea.listeners(queueId); }
  @Override
  public Future<List<Listener>> accountListeners(String accountId) { return listenerArea.accountListeners(accountId); }
  @Override
  public Future<List<Listener>> allListeners() { return listenerArea.allListeners(); }

  // --- event subscriptions, audit trails, settings
  @Override
  public Future<Void> insertEventSubscription(EventSubscription subscription) {
    return subscriptionArea.insertEventSubscription(subscription);
  }
  @Override
  public Future<Void> updateEventSubscription(EventSubscription subscription) {
    return subscriptionArea.updateEventSubscription(subscription);
  }
  @Override
  public Future<Void> deleteEventSubscription(String subscriptionId) {
    return subscriptionArea.deleteEventSubscription(subscriptionId);
  }
  @Override
  public Future<EventSubscription> eventSubscription(String subscriptionId) {
    return subscriptionArea.eventSubscription(subscriptionId);
  }
  @Override
  public Future<List<EventSubscription>> eventSubscriptions(String accountId) {
    return subscriptionArea.eventSubscriptions(accountId);
  }
  @Override
  public Future<Void> appendEvents(List<FerryEvent> events) { return auditArea.appendEvents(events); }
  @Override
  public Future<AuditPage> events(String accountId, String startAfterId, int limit, Predicate<FerryEvent> visible) {
    return auditArea.events(accountId, startAfterId, limit, visible);
  }
  @Override
  public Future<String> settingOrInit(String name, String initial) { return settingArea.settingOrInit(name, initial); }
}
