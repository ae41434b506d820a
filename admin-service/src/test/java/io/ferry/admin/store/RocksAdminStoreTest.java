package io.ferry.admin.store;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksAdminStoreTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private AdminStore store;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = await(RocksAdminStore.open(vertx, dir));
  }

  @AfterEach
  void close() throws Exception {
    if (store.isOpen()) {
      await(store.close());
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static FerryException failure(Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> await(future));
    return FerryException.from(e.getCause() != null && !(e instanceof FerryException) ? e.getCause() : e);
  }

  private static QueueInfo queue(String account, String name) {
    return new QueueInfo(Ids.newId(), account, name, System.currentTimeMillis(), System.currentTimeMillis(),
        QueueSettings.DEFAULTS);
  }

  private static QueueConsumer consumer(QueueInfo queue) {
    return new QueueConsumer(Ids.newId(), queue.accountId(), queue.id(), QueueConsumer.HTTP_PULL, null, 5, 3, 0,
        30_000, System.currentTimeMillis());
  }

  private static Listener listener(QueueInfo queue) {
    return new Listener(Ids.newId(), queue.accountId(), queue.id(), "l", "https://a.example/n",
        "https://a.example/l", "whsec_x", System.currentTimeMillis());
  }

  @Test
  void everyRecordSurvivesReopening() throws Exception {
    Account account = new Account(Ids.newId(), "default", 1L);
    ApiKey key = new ApiKey(Ids.newId(), account.id(), "bootstrap", "ab".repeat(32), true, 2L);
    QueueInfo queue = queue(account.id(), "q");
    // With the settings only kept for reading back, so that they survive too.
    QueueConsumer consumer = new QueueConsumer(Ids.newId(), account.id(), queue.id(), QueueConsumer.HTTP_PULL,
        null, 5, 3, 0, 30_000, 3L, 2_500, 10);
    Listener listener = listener(queue);
    await(store.insertAccount(account));
    await(store.insertApiKey(key));
    await(store.insertQueue(queue));
    await(store.insertConsumer(consumer));
    await(store.insertListener(listener));
    await(store.close());
    assertFalse(store.isOpen());

    store = await(RocksAdminStore.open(vertx, dir));
    assertEquals(account, await(store.account(account.id())));
    assertEquals(account, await(store.accountByName("default")));
    assertEquals(key, await(store.apiKeyByHash(key.keyHash())));
    assertEquals(List.of(key), await(store.apiKeys(account.id())));
    assertEquals(queue, await(store.queue(queue.id())));
    assertEquals(queue, await(store.queueByName(account.id(), "q")));
    assertEquals(List.of(consumer), await(store.consumers(queue.id())));
    assertEquals(listener, await(store.listener(listener.id())));
    assertEquals(List.of(listener), await(store.accountListeners(account.id())));
  }

  @Test
  void queueNamesAreUniquePerAccount() throws Exception {
    await(store.insertQueue(queue("a", "same")));
    assertEquals(ErrorCode.NAME_TAKEN, failure(store.insertQueue(queue("a", "same"))).code());
    await(store.insertQueue(queue("b", "same")));
    assertEquals(1, await(store.queues("a")).size());
    assertEquals(2, await(store.allQueues()).size());
  }

  @Test
  void consumersAndListenersNeedTheirQueueAndConsumersAreOnePerType() throws Exception {
    QueueInfo queue = queue("a", "q");
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(store.insertConsumer(consumer(queue))).code());
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(store.insertListener(listener(queue))).code());
    await(store.insertQueue(queue));
    await(store.insertConsumer(consumer(queue)));
    assertEquals(ErrorCode.CONSUMER_CONFLICT, failure(store.insertConsumer(consumer(queue))).code());
    assertEquals(1, await(store.allConsumers()).size());
  }

  @Test
  void aConsumerNeverTakesTheIdOfAnotherConsumerOrOfAListener() throws Exception {
    QueueInfo theirs = queue("a", "theirs");
    QueueInfo mine = queue("b", "mine");
    await(store.insertQueue(theirs));
    await(store.insertQueue(mine));
    QueueConsumer consumer = consumer(theirs);
    Listener listener = listener(theirs);
    await(store.insertConsumer(consumer));
    await(store.insertListener(listener));
    for (String taken : List.of(consumer.id(), listener.id())) {
      QueueConsumer thief = new QueueConsumer(taken, "b", mine.id(), QueueConsumer.HTTP_PULL, null, 5, 3, 0,
          30_000, System.currentTimeMillis());
      assertEquals(ErrorCode.NOT_FOUND, failure(store.insertConsumer(thief)).code());
    }
    assertEquals(List.of(), await(store.consumers(mine.id())));
    assertEquals(List.of(consumer), await(store.consumers(theirs.id())));
  }

  @Test
  void deletingAQueueDeletesItsConsumersAndListenersDurably() throws Exception {
    QueueInfo doomed = queue("a", "doomed");
    QueueInfo kept = queue("a", "kept");
    await(store.insertQueue(doomed));
    await(store.insertQueue(kept));
    await(store.insertConsumer(consumer(doomed)));
    await(store.insertListener(listener(doomed)));
    Listener keptListener = listener(kept);
    await(store.insertListener(keptListener));
    await(store.deleteQueue(doomed.id()));
    await(store.close());

    store = await(RocksAdminStore.open(vertx, dir));
    assertNull(await(store.queue(doomed.id())));
    assertNull(await(store.queueByName("a", "doomed")));
    assertEquals(List.of(), await(store.allConsumers()));
    assertEquals(List.of(keptListener), await(store.allListeners()));
    await(store.insertQueue(queue("a", "doomed")));
  }

  @Test
  void updatesAndDeletesConsumers() throws Exception {
    QueueInfo queue = queue("a", "q");
    await(store.insertQueue(queue));
    QueueConsumer consumer = consumer(queue);
    assertEquals(ErrorCode.NOT_FOUND, failure(store.updateConsumer(consumer)).code());
    await(store.insertConsumer(consumer));
    QueueConsumer changed = consumer.withDeadLetterQueueId(Ids.newId());
    await(store.updateConsumer(changed));
    assertEquals(List.of(changed), await(store.consumers(queue.id())));
    await(store.deleteConsumer(consumer.id()));
    assertEquals(List.of(), await(store.consumers(queue.id())));
  }

  @Test
  void writesCompleteOnTheCallersContext() throws Exception {
    Context context = vertx.getOrCreateContext();
    Promise<Boolean> sameContext = Promise.promise();
    context.runOnContext(v -> store.insertAccount(new Account(Ids.newId(), "x", 1L))
        .onComplete(ar -> sameContext.complete(Vertx.currentContext() == context)));
    assertTrue(await(sameContext.future()));
  }

  @Test
  void closedStoreIsUnavailable() throws Exception {
    await(store.close());
    assertEquals(ErrorCode.UNAVAILABLE, failure(store.insertQueue(queue("a", "late"))).code());
    assertEquals(ErrorCode.UNAVAILABLE, failure(store.allQueues()).code());
    assertSame(false, store.isOpen());
  }
}
