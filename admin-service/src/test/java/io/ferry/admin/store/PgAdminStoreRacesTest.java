package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.model.AuditPage;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two admin instances (two stores, each with its own pool) on one schema, racing to create the same thing: the
 * database lets exactly one of them win, and every other attempt fails as it would on a single instance.
 */
class PgAdminStoreRacesTest {

  private static final int ATTEMPTS_PER_INSTANCE = 16;

  private final PostgresConfig pg = TestPostgres.shared().freshSchema();
  private Vertx vertx;
  private List<PgAdminStore> instances;

  @BeforeEach
  void openTwoInstances() throws Exception {
    vertx = Vertx.vertx();
    // Started together too, as two replicas rolled out at once would be.
    instances = await(Future.all(PgAdminStore.open(vertx, pg, null), PgAdminStore.open(vertx, pg, null))).list();
  }

  @AfterEach
  void close() throws Exception {
    for (PgAdminStore store : instances) {
      await(store.close());
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void oneQueueOfANameWhateverTheInstance() throws Exception {
    List<AsyncResult<Void>> outcomes = race(store -> store.queues().insertQueue(
        AdminStoreContract.queue("acct", "same")));
    assertOneWinner(outcomes, ErrorCode.NAME_TAKEN, "queue_name");
    for (PgAdminStore store : instances) {
      assertEquals(1, await(store.queues().queues("acct")).size());
    }
  }

  @Test
  void oneConsumerOfATypeWhateverTheInstance() throws Exception {
    QueueInfo queue = AdminStoreContract.queue("acct", "q");
    await(instances.get(0).queues().insertQueue(queue));
    List<AsyncResult<Void>> outcomes = race(store -> store.consumers().insertConsumer(
        AdminStoreContract.consumer(queue)));
    assertOneWinner(outcomes, ErrorCode.CONSUMER_CONFLICT, null);
    for (PgAdminStore store : instances) {
      assertEquals(1, await(store.consumers().consumers(queue.id())).size());
    }
  }

  @Test
  void oneListenerOfANameWhateverTheInstance() throws Exception {
    QueueInfo queue = AdminStoreContract.queue("acct", "q");
    await(instances.get(1).queues().insertQueue(queue));
    List<AsyncResult<Void>> outcomes = race(store -> store.listeners().insertListener(
        AdminStoreContract.listener(queue, "same")));
    assertOneWinner(outcomes, ErrorCode.NAME_TAKEN, "name");
    for (PgAdminStore store : instances) {
      assertEquals(1, await(store.listeners().listeners(queue.id())).size());
    }
  }

  @Test
  void oneAccountOfANameWhateverTheInstance() throws Exception {
    List<AsyncResult<Void>> outcomes = race(store -> {
      Account account = new Account(Ids.newId(), "shop", System.currentTimeMillis());
      return store.accounts().insertAccountWithKey(account,
          new ApiKey(Ids.newId(), account.id(), "k", Ids.newId().repeat(2), false, account.createdAtMs()));
    });
    assertOneWinner(outcomes, ErrorCode.NAME_TAKEN, "name");
    Account winner = await(instances.get(1).accounts().accountByName("shop"));
    assertEquals(List.of(winner), await(instances.get(0).accounts().accounts()));
    assertEquals(1, await(instances.get(0).accounts().apiKeys(winner.id())).size());
  }

  @Test
  void everyInstanceGetsTheOneSettingKept() throws Exception {
    List<Future<String>> inits = new ArrayList<>();
    for (int i = 0; i < ATTEMPTS_PER_INSTANCE; i++) {
      for (PgAdminStore store : instances) {
        inits.add(store.settings().settingOrInit("token-secret", "value-" + inits.size()));
      }
    }
    Set<String> kept = Set.copyOf(await(Future.all(inits)).<String>list());
    assertEquals(1, kept.size(), "every caller gets the one value kept: " + kept);
  }

  @Test
  void auditTrailsAppendedFromBothInstancesStayBoundedAndReadTheSameOnBoth() throws Exception {
    int bound = 8;
    List<PgAdminStore> bounded = await(Future.all(PgAdminStore.open(vertx, pg, null, bound),
        PgAdminStore.open(vertx, pg, null, bound))).list();
    try {
      String account = Ids.newId();
      List<Future<Void>> appends = new ArrayList<>();
      for (int i = 0; i < ATTEMPTS_PER_INSTANCE; i++) {
        for (PgAdminStore store : bounded) {
          appends.add(store.audit().appendEvents(List.of(new FerryEvent(Ids.newId(), "e", account, "r",
              System.currentTimeMillis(), new JsonObject().put("n", appends.size())))));
        }
      }
      await(Future.all(appends));
      AuditPage trail = await(bounded.get(0).audit().events(account, null, 100, e -> true));
      assertEquals(bound, trail.events().size());
      assertNull(trail.nextAfterId());
      assertEquals(trail, await(bounded.get(1).audit().events(account, null, 100, e -> true)));
    } finally {
      for (PgAdminStore store : bounded) {
        await(store.close());
      }
    }
  }

  // Every instance tries ATTEMPTS_PER_INSTANCE times at once; answers how each attempt ended.
  private List<AsyncResult<Void>> race(Function<AdminStore, Future<Void>> attempt) throws Exception {
    List<Future<AsyncResult<Void>>> outcomes = new ArrayList<>();
    for (int i = 0; i < ATTEMPTS_PER_INSTANCE; i++) {
      for (PgAdminStore store : instances) {
        outcomes.add(attempt.apply(store).transform(Future::succeededFuture));
      }
    }
    return await(Future.all(outcomes)).list();
  }

  private static void assertOneWinner(List<AsyncResult<Void>> outcomes, ErrorCode loserCode, String loserField) {
    assertEquals(1, outcomes.stream().filter(AsyncResult::succeeded).count(), "exactly one attempt wins");
    Set<String> losses = outcomes.stream().filter(AsyncResult::failed)
        .map(lost -> FerryException.from(lost.cause()))
        .map(lost -> lost.code() + "/" + lost.field())
        .collect(Collectors.toSet());
    assertEquals(Set.of(loserCode + "/" + loserField), losses);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
