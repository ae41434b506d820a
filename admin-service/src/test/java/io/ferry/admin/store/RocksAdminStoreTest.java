package io.ferry.admin.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** {@link RocksAdminStore} against every area contract, each test on a store of its own in a temporary directory. */
class RocksAdminStoreTest {

  @TempDir
  Path dir;

  Future<RocksAdminStore> open(Vertx vertx, int maxEventsPerAccount) {
    return RocksAdminStore.open(vertx, dir, maxEventsPerAccount);
  }

  @Nested
  class Accounts extends AccountRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Queues extends QueueRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Consumers extends ConsumerRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Listeners extends ListenerRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class EventSubscriptions extends EventSubscriptionRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Audit extends AuditRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Attempts extends AttemptRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Settings extends SettingRecordsContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }

  @Nested
  class Lifecycle extends StoreLifecycleContract {
    @Override
    protected Future<RocksAdminStore> openStore(Vertx vertx, int maxEventsPerAccount) {
      return open(vertx, maxEventsPerAccount);
    }
  }
}
