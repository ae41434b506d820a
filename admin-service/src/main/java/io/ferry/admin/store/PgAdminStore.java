package io.ferry.admin.store;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.postgres.SchemaMigrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * {@link AdminStore} on PostgreSQL, for several admin instances sharing one database: every record is read from
 * and written to the database (nothing cached across requests), and the invariants of {@link AdminStore} are
 * constraints and transactions there, so instances racing on the same name cannot both win. Tables are
 * {@code admin_*} in the configured schema, created and migrated at open. While the database is unreachable,
 * calls fail UNAVAILABLE.
 */
public final class PgAdminStore implements AdminStore {

  private final PgAccess db;
  private final AccountRecords accounts;
  private final QueueRecords queues;
  private final ConsumerRecords consumers;
  private final ListenerRecords listeners;
  private final EventSubscriptionRecords eventSubscriptions;
  private final AuditRecords audit;
  private final AttemptRecords attempts;
  private final SettingRecords settings;

  private PgAdminStore(PgAccess db, int maxEventsPerAccount) {
    this.db = db;
    this.accounts = new PgAccountRecords(db);
    this.queues = new PgQueueRecords(db);
    this.consumers = new PgConsumerRecords(db);
    this.listeners = new PgListenerRecords(db);
    this.eventSubscriptions = new PgEventSubscriptionRecords(db);
    this.audit = new PgAuditRecords(db, maxEventsPerAccount);
    this.attempts = new PgAttemptRecords(db);
    this.settings = new PgSettingRecords(db);
  }

  /** Like {@link #open(Vertx, PostgresConfig, String, int)}, keeping the default audit-trail bound. */
  public static Future<PgAdminStore> open(Vertx vertx, PostgresConfig pg, String secretsKey) {
    return open(vertx, pg, secretsKey, AuditRecords.MAX_EVENTS_PER_ACCOUNT);
  }

  /**
   * Connects, brings the admin tables to this build's version and checks the sealed secrets: fails when secrets
   * are sealed and {@code secretsKey} does not open them or is missing. With {@code secretsKey}, secrets stored in
   * clear before are sealed at once. Each account's audit trail keeps its newest {@code maxEventsPerAccount}
   * events.
   */
  public static Future<PgAdminStore> open(Vertx vertx, PostgresConfig pg, String secretsKey,
      int maxEventsPerAccount) {
    SecretSeal seal = SecretSeal.of(secretsKey);
    Pool pool = PostgresPools.create(vertx, pg, "ferry-admin");
    return SchemaMigrations.apply(pool, pg.schema(), "admin")
        .compose(version -> PgSealedSecrets.checkAndSeal(pool, seal))
        .map(v -> new PgAdminStore(new PgAccess(vertx, pool, seal), maxEventsPerAccount))
        .recover(failure -> pool.close().transform(closed -> Future.failedFuture(failure)));
  }

  @Override
  public boolean isOpen() {
    return db.isOpen();
  }

  @Override
  public Future<Void> probe() {
    return db.probe();
  }

  @Override
  public Future<Void> close() {
    return db.close();
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
