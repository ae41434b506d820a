package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.admin.model.ApiKey;
import io.ferry.admin.store.PgAdminStore;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Admin instances starting together on one empty database end with one default account and one root key. */
class AuthBootstrapOnSharedDatabaseTest {

  private static final int INSTANCES = 4;

  private Vertx vertx;
  private final List<PgAdminStore> stores = new ArrayList<>();

  @BeforeEach
  void openInstances() throws Exception {
    vertx = Vertx.vertx();
    PostgresConfig pg = TestPostgres.shared().freshSchema();
    for (int i = 0; i < INSTANCES; i++) {
      stores.add(PgAdminStore.open(vertx, pg, null).await(30, TimeUnit.SECONDS));
    }
  }

  @AfterEach
  void close() throws Exception {
    for (PgAdminStore store : stores) {
      store.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aGeneratedRootKeyIsCreatedAndShownByExactlyOneInstance() throws Exception {
    List<AuthBootstrap.Result> results = bootstrapAll(AuthConfig.from(ConfigReader.of(Map.of())));

    assertEquals(1, results.stream().map(AuthBootstrap.Result::defaultAccountId).distinct().count());
    long shown = results.stream().filter(r -> r.banner().stream().anyMatch(l -> l.contains("keep it now"))).count();
    assertEquals(1, shown, "exactly one instance generated (and prints) the key");
    assertEquals(1, rootKeys(results.get(0).defaultAccountId()).size());
    assertEquals(1, stores.get(0).accounts().accounts().await(10, TimeUnit.SECONDS).size());
  }

  @Test
  void aConfiguredRootKeyIsStoredOnceWhoeverStartsFirst() throws Exception {
    String key = "fry_configured-bootstrap-key-0123456789";
    List<AuthBootstrap.Result> results = bootstrapAll(AuthConfig.from(ConfigReader.of(Map.of(
        "FERRY_AUTH_BOOTSTRAP_KEY", key))));

    assertEquals(1, results.stream().map(AuthBootstrap.Result::defaultAccountId).distinct().count());
    List<ApiKey> roots = rootKeys(results.get(0).defaultAccountId());
    assertEquals(List.of(Secrets.hashKey(key)), roots.stream().map(ApiKey::keyHash).toList());
  }

  private List<AuthBootstrap.Result> bootstrapAll(AuthConfig auth) throws Exception {
    List<Future<AuthBootstrap.Result>> runs = new ArrayList<>();
    for (PgAdminStore store : stores) {
      runs.add(new AuthBootstrap(store.accounts(), auth, accountId -> { }).run());
    }
    List<AuthBootstrap.Result> results = new ArrayList<>();
    for (Future<AuthBootstrap.Result> run : runs) {
      results.add(run.await(30, TimeUnit.SECONDS));
    }
    return results;
  }

  private List<ApiKey> rootKeys(String accountId) throws Exception {
    return stores.get(1).accounts().apiKeys(accountId).await(10, TimeUnit.SECONDS).stream()
        .filter(ApiKey::root).toList();
  }
}
