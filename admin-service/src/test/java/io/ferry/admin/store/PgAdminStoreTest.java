package io.ferry.admin.store;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Nested;

/**
 * {@link PgAdminStore} against every area contract on a real PostgreSQL, each test on a schema of its own (every
 * store a test opens, including after {@code reopen()}, opens that schema).
 */
class PgAdminStoreTest {

  final PostgresConfig pg = TestPostgres.shared().freshSchema();

  Future<PgAdminStore> open(Vertx vertx, int maxEventsPerAccount) {
    return PgAdminStore.open(vertx, pg, null, maxEventsPerAccount);
  }

  @Nested
  class Accounts extends AccountRecordsContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Queues extends QueueRecordsContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Consumers extends ConsumerRecordsContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Listeners extends ListenerRecordsContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class EventSubscriptions extends EventSubscriptionRecordsContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Audit extends AuditRecordsContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Attempts extends AttemptRecordsContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Settings extends SettingRecordsContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Lifecycle extends StoreLifecycleContract {
    @Override
    protected Future<PgAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }
}
