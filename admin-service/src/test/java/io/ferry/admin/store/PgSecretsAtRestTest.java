package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With storage.secrets-key, the token secret and the whsec_ secrets are in no row of admin's tables in clear. */
class PgSecretsAtRestTest {

  private static final String KEY = "secrets-key-0123456789abcdef-0123456789";
  private static final String TOKEN_SECRET = "token-secret-0123456789abcdef0123456789";
  private static final String WHSEC = "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==";
  private static final String SETTING = "sonya-token-secret";

  private final PostgresConfig pg = TestPostgres.shared().freshSchema();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void secretsAreSealedWithTheKeyAndOpenOnlyWithIt() throws Exception {
    String listenerId = writeSecrets(KEY);
    String rows = allRows();
    assertTrue(rows.contains(listenerId), "the rows are read");
    assertFalse(rows.contains(WHSEC) || rows.contains(TOKEN_SECRET), "a secret is stored in clear");

    AdminStore reopened = open(KEY);
    assertEquals(WHSEC, await(reopened.listeners().listener(listenerId)).secret());
    assertEquals(TOKEN_SECRET, await(reopened.settings().settingOrInit(SETTING, "other")));
    await(reopened.close());

    Exception wrongKey = assertThrows(Exception.class, () -> open("another-key-0123456789abcdef-0123456789"));
    assertTrue(wrongKey.getMessage().contains("does not open the secrets"), wrongKey.getMessage());
    Exception noKey = assertThrows(Exception.class, () -> open(null));
    assertTrue(noKey.getMessage().contains("start with the same key"), noKey.getMessage());
    await(open(KEY).close());
  }

  @Test
  void secretsStoredBeforeAKeyWasSetAreSealedAtTheNextStart() throws Exception {
    String listenerId = writeSecrets(null);
    String clear = allRows();
    assertTrue(clear.contains(WHSEC) && clear.contains(TOKEN_SECRET), "without a key they are in clear");

    AdminStore sealed = open(KEY);
    assertEquals(WHSEC, await(sealed.listeners().listener(listenerId)).secret());
    String rows = allRows();
    assertFalse(rows.contains(WHSEC) || rows.contains(TOKEN_SECRET), "sealed at the start with a key");
    assertEquals(TOKEN_SECRET, await(sealed.settings().settingOrInit(SETTING, "other")));
    await(sealed.close());
  }

  private String writeSecrets(String key) throws Exception {
    AdminStore store = open(key);
    QueueInfo queue = new QueueInfo(Ids.newId(), "acct", "q", 1L, 1L, QueueSettings.DEFAULTS);
    await(store.queues().insertQueue(queue));
    Listener listener = new Listener(Ids.newId(), "acct", queue.id(), "l", "https://a.example/n", null, WHSEC,
        System.currentTimeMillis());
    await(store.listeners().insertListener(listener));
    await(store.settings().settingOrInit(SETTING, TOKEN_SECRET));
    assertEquals(WHSEC, await(store.listeners().listener(listener.id())).secret());
    await(store.close());
    return listener.id();
  }

  private AdminStore open(String key) throws Exception {
    return await(PgAdminStore.open(vertx, pg, key));
  }

  // Every row of every admin table, as text.
  private String allRows() throws Exception {
    Pool pool = PostgresPools.create(vertx, pg, "secrets-test");
    try {
      List<String> rows = new ArrayList<>();
      for (Row table : await(pool.preparedQuery("SELECT table_name FROM information_schema.tables "
          + "WHERE table_schema = $1 AND table_name LIKE 'admin\\_%'").execute(Tuple.of(pg.schema())))) {
        for (Row row : await(pool.query("SELECT t::text FROM " + table.getString(0) + " t").execute())) {
          rows.add(row.getString(0));
        }
      }
      return String.join("\n", rows);
    } finally {
      await(pool.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }
}
