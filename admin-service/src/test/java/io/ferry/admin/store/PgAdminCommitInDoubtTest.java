package io.ferry.admin.store;

import static org.awaitility.Awaitility.waitAtMost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.HeldCommits;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transaction of the admin store whose COMMIT was sent and never answered fails OUTCOME_UNKNOWN (504): it
 * may be stored. One cut before its COMMIT was sent, or whose COMMIT the server surely rolled back, fails
 * UNAVAILABLE (503 with Retry-After): nothing was written.
 */
class PgAdminCommitInDoubtTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final PostgresConfig pg = TestPostgres.shared().freshSchema();
  private Vertx vertx;
  private PgAdminStore store;
  private Pool observer;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = await(PgAdminStore.open(vertx, pg, null));
    observer = PostgresPools.create(vertx, pg, "observer");
  }

  @AfterEach
  void close() throws Exception {
    await(store.close());
    await(observer.close());
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aTransactionWhoseBackendIsTerminatedWhileCommittingFailsOutcomeUnknown() throws Exception {
    HeldCommits held = HeldCommits.on(observer, pg.schema(), "admin_api_keys", "true");
    Account account = new Account(Ids.newId(), "shop", 1L);

    Future<Void> stored = store.accounts().insertAccountWithKey(account, key(account));
    held.terminate(held.heldBackend());

    FerryException failure = failure(stored);
    assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.code(), failure.getMessage());
    assertTrue(failure.getMessage().contains("may or may not have been applied"), failure.getMessage());
    held.release();
    assertStoreGoesOn();
  }

  @Test
  void aTransactionCutBeforeItsCommitWasSentFailsUnavailable() throws Exception {
    Account account = new Account(Ids.newId(), "shop", 1L);
    // An account of the same name, inserted and left uncommitted: the store's INSERT waits on it.
    SqlConnection locker = await(observer.getConnection());
    await(locker.query("BEGIN").execute());
    await(locker.preparedQuery("INSERT INTO admin_accounts (id, name, created_at_ms, doc) VALUES ($1, 'shop', 0, '{}')")
        .execute(Tuple.of(Ids.newId())));
    int lockerPid = await(locker.query("SELECT pg_backend_pid()").execute()).iterator().next().getInteger(0);

    Future<Void> stored = store.accounts().insertAccountWithKey(account, key(account));
    waitAtMost(WAIT).until(() -> await(observer.preparedQuery("SELECT count(*) FROM pg_stat_activity"
        + " WHERE $1 = ANY(pg_blocking_pids(pid))").execute(Tuple.of(lockerPid))).iterator().next().getLong(0) == 1);
    await(observer.preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        + " WHERE $1 = ANY(pg_blocking_pids(pid))").execute(Tuple.of(lockerPid)));

    assertEquals(ErrorCode.UNAVAILABLE, failure(stored).code());
    await(locker.query("ROLLBACK").execute().eventually(locker::close));
    assertNull(await(store.accounts().account(account.id())));
    assertStoreGoesOn();
  }

  @Test
  void aCommitTheServerRollsBackFailsUnavailable() throws Exception {
    await(observer.query("CREATE FUNCTION " + pg.schema() + ".refuse_commit() RETURNS trigger LANGUAGE plpgsql"
        + " AS $$ BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'serialization_failure'; END $$")
        .execute());
    await(observer.query("CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON " + pg.schema()
        + ".admin_api_keys DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " + pg.schema()
        + ".refuse_commit()").execute());
    Account account = new Account(Ids.newId(), "shop", 1L);

    assertEquals(ErrorCode.UNAVAILABLE, failure(store.accounts().insertAccountWithKey(account, key(account))).code());
    assertNull(await(store.accounts().account(account.id())));
    await(observer.query("DROP TRIGGER refuse_commit ON " + pg.schema() + ".admin_api_keys").execute());
    assertStoreGoesOn();
  }

  private void assertStoreGoesOn() throws Exception {
    Account later = new Account(Ids.newId(), "later", 2L);
    await(store.accounts().insertAccountWithKey(later, key(later)));
    assertEquals(later, await(store.accounts().account(later.id())));
  }

  private static ApiKey key(Account account) {
    return new ApiKey(Ids.newId(), account.id(), "k", Ids.newId().repeat(2), false, 1L);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static FerryException failure(Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> await(future));
    return FerryException.from(e);
  }
}
