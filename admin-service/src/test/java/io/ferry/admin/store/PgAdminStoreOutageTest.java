package io.ferry.admin.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** While PostgreSQL is away the store answers UNAVAILABLE (and readiness's probe fails); it serves again after. */
class PgAdminStoreOutageTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void failsUnavailableWhileTheDatabaseIsAwayAndServesAgainAfter() throws Exception {
    try (TestPostgres server = TestPostgres.startOwn()) {
      PostgresConfig pg = server.freshSchema();
      PgAdminStore store = wait(PgAdminStore.open(vertx, pg, null));
      QueueInfo kept = AdminStoreContract.queue("acct", "kept");
      wait(store.queues().insertQueue(kept));
      wait(store.probe());

      server.stop();
      assertEquals(ErrorCode.UNAVAILABLE, failure(store.probe()).code());
      assertEquals(ErrorCode.UNAVAILABLE, failure(store.queues().allQueues()).code());
      assertEquals(ErrorCode.UNAVAILABLE,
          failure(store.queues().insertQueue(AdminStoreContract.queue("acct", "during"))).code());

      server.start();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> wait(store.probe()));
      assertEquals(List.of(kept), wait(store.queues().allQueues()));
      wait(store.close());
      assertEquals(ErrorCode.UNAVAILABLE, failure(store.probe()).code());
    }
  }

  private static <T> T wait(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }

  private static FerryException failure(Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> wait(future));
    return FerryException.from(e);
  }
}
