package io.ferry.admin.store;

import io.ferry.contracts.model.StoreCheckpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * {@link AdminStore} on embedded RocksDB: every write synced to the WAL before it is acknowledged, all I/O
 * on one dedicated thread, and the whole data set (but the audit trails) loaded into memory at open so that
 * reads never touch disk.
 */
public final class RocksAdminStore implements AdminStore {

  // Each area is implemented on its own over what they share; this class opens and closes that.
  private final StoreAccess store;
  private final AccountRecords accounts;
  private final QueueRecords queues;
  private final ConsumerRecords consumers;
  private final ListenerRecords listeners;
  private final EventSubscriptionRecords eventSubscriptions;
  private final AuditRecords audit;
  private final AttemptRecords attempts;
  private final SettingRecords settings;

  private RocksAdminStore(StoreAccess store, EventLog events) {
    this.store = store;
    this.accounts = new RocksAccountRecords(store);
    this.queues = new RocksQueueRecords(store);
    this.consumers = new RocksConsumerRecords(store);
    this.listeners = new RocksListenerRecords(store);
    this.eventSubscriptions = new RocksEventSubscriptionRecords(store);
    this.audit = new RocksAuditRecords(store, events);
    this.attempts = new RocksAttemptRecords(store);
    this.settings = new RocksSettingRecords(store);
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
    return open(vertx, dir, AuditRecords.MAX_EVENTS_PER_ACCOUNT, SecretSeal.of(secretsKey));
  }

  // With a smaller audit-trail bound, so that tests can reach it.
  static Future<RocksAdminStore> open(Vertx vertx, Path dir, int maxEventsPerAccount) {
    return open(vertx, dir, maxEventsPerAccount, SecretSeal.NONE);
  }

  private static Future<RocksAdminStore> open(Vertx vertx, Path dir, int maxEventsPerAccount, SecretSeal seal) {
    StoreAccess store = new StoreAccess(vertx);
    return store.open(dir, seal, records -> {
      RocksAttemptRecords.dropLegacyIndexes(records);
      return new RocksAdminStore(store, EventLog.open(records, maxEventsPerAccount));
    });
  }

  @Override
  public boolean isOpen() {
    return store.isOpen();
  }

  // On the store thread, between two writes: the checkpoint holds every write acknowledged before it.
  @Override
  public Future<StoreCheckpoint> checkpoint(Path target) {
    return store.submit(records -> records.checkpoint(target));
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }

  @Override
  public AccountRecords accounts() {
    return accounts;
  }

  @Override
  public QueueRecords queues() {
    return queues;
  }

  @Override
  public ConsumerRecords consumers() {
    return consumers;
  }

  @Override
  public ListenerRecords listeners() {
    return listeners;
  }

  @Override
  public EventSubscriptionRecords eventSubscriptions() {
    return eventSubscriptions;
  }

  @Override
  public AuditRecords audit() {
    return audit;
  }

  @Override
  public AttemptRecords attempts() {
    return attempts;
  }

  @Override
  public SettingRecords settings() {
    return settings;
  }
}
