package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every area contract of {@link AdminStore} shares, whatever the store: a fresh store per test, opened by
 * the subclass, and {@link #reopen()} to check durability. A store is checked by extending each area contract
 * once, with {@link #openStore} opening that store.
 */
abstract class AdminStoreContract {

  protected Vertx vertx;
  protected AdminStore store;

  /**
   * Opens the store under test; every call within one test opens the same data (empty at the first call), with
   * audit trails that keep {@code maxEventsPerAccount} events each.
   */
  protected abstract Future<? extends AdminStore> openStore(Vertx vertx, int maxEventsPerAccount);

  protected int maxEventsPerAccount() {
    return AuditRecords.MAX_EVENTS_PER_ACCOUNT;
  }

  @BeforeEach
  void openEmptyStore() throws Exception {
    vertx = Vertx.vertx();
    store = await(openStore(vertx, maxEventsPerAccount()));
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store.isOpen()) {
      await(store.close());
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  protected void reopen() throws Exception {
    await(store.close());
    store = await(openStore(vertx, maxEventsPerAccount()));
  }

  protected static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  protected static FerryException failure(Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> await(future));
    return FerryException.from(e.getCause() != null && !(e instanceof FerryException) ? e.getCause() : e);
  }

  protected static QueueInfo queue(String account, String name) {
    return new QueueInfo(Ids.newId(), account, name, System.currentTimeMillis(), System.currentTimeMillis(),
        QueueSettings.DEFAULTS);
  }

  protected QueueInfo storedQueue(String account, String name) throws Exception {
    QueueInfo queue = queue(account, name);
    await(store.queues().insertQueue(queue));
    return queue;
  }

  protected static QueueConsumer consumer(QueueInfo queue) {
    return new QueueConsumer(Ids.newId(), queue.accountId(), queue.id(), QueueConsumer.HTTP_PULL, null, 5, 3, 0,
        30_000, System.currentTimeMillis());
  }

  protected static Listener listener(QueueInfo queue, String name) {
    return new Listener(Ids.newId(), queue.accountId(), queue.id(), name, "https://a.example/n",
        "https://a.example/l", "whsec_x", System.currentTimeMillis());
  }
}
