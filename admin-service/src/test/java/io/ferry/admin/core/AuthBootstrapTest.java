package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.store.AccountRecords;
import io.ferry.admin.store.AdminStore;
import io.ferry.admin.store.RocksAdminStore;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin instances starting together on one empty database: the one that loses the race to create the default
 * account or the configured root key starts with what the winner created instead of failing. The race is
 * staged on a real store: this instance's first read comes before the other's write, and its write is refused
 * as a database's unique constraint refuses it.
 */
class AuthBootstrapTest {

  private static final String CONFIGURED_KEY = "fry_configured-bootstrap-key-for-the-race";

  @TempDir
  Path dir;
  private Vertx vertx;
  private AdminStore store;
  private final List<String> revokedAccounts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = RocksAdminStore.open(vertx, dir).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    store.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anInstanceThatLosesTheRaceForTheDefaultAccountUsesTheWinners() throws Exception {
    Account winners = new Account(Ids.newId(), AuthBootstrap.DEFAULT_ACCOUNT, System.currentTimeMillis());
    store.accounts().insertAccount(winners).await(10, TimeUnit.SECONDS);

    AuthBootstrap.Result result = new AuthBootstrap(losingTheRace("accountByName", "insertAccountWithKey"),
        configured(), revokedAccounts::add).run().await(10, TimeUnit.SECONDS);

    assertEquals(winners.id(), result.defaultAccountId());
    assertEquals(List.of(winners), store.accounts().accounts().await(10, TimeUnit.SECONDS));
  }

  @Test
  void anInstanceThatLosesTheRaceForTheConfiguredKeyUsesTheWinners() throws Exception {
    Account account = new Account(Ids.newId(), AuthBootstrap.DEFAULT_ACCOUNT, System.currentTimeMillis());
    store.accounts().insertAccount(account).await(10, TimeUnit.SECONDS);
    ApiKey winners = new ApiKey(Ids.newId(), account.id(), "bootstrap (configured)",
        Secrets.hashKey(CONFIGURED_KEY), true, System.currentTimeMillis());
    store.accounts().insertApiKey(winners).await(10, TimeUnit.SECONDS);

    new AuthBootstrap(losingTheRace("apiKeyByHash", "insertApiKey"), configured(), revokedAccounts::add)
        .run().await(10, TimeUnit.SECONDS);

    assertEquals(List.of(winners.id()), store.accounts().apiKeys(account.id()).await(10, TimeUnit.SECONDS)
        .stream().map(ApiKey::id).toList());
    assertEquals(List.of(), revokedAccounts, "the winner's key is the configured one: nothing to revoke");
  }

  @Test
  void revokingEarlierRootKeysIsAnnouncedOnceTheyAreGone() throws Exception {
    Account account = new Account(Ids.newId(), AuthBootstrap.DEFAULT_ACCOUNT, System.currentTimeMillis());
    store.accounts().insertAccount(account).await(10, TimeUnit.SECONDS);
    ApiKey generated = new ApiKey(Ids.newId(), account.id(), "bootstrap", Secrets.hashKey(Secrets.newApiKey()),
        true, System.currentTimeMillis());
    store.accounts().insertApiKey(generated).await(10, TimeUnit.SECONDS);
    List<Future<ApiKey>> seenWhenAnnounced = new CopyOnWriteArrayList<>();

    new AuthBootstrap(store.accounts(), configured(), accountId -> {
      revokedAccounts.add(accountId);
      seenWhenAnnounced.add(store.accounts().apiKey(generated.id()));
    }).run().await(10, TimeUnit.SECONDS);

    assertEquals(List.of(account.id()), revokedAccounts);
    assertNull(seenWhenAnnounced.get(0).await(10, TimeUnit.SECONDS), "announced before the key was gone");
  }

  private static AuthConfig configured() {
    return AuthConfig.from(ConfigReader.of(Map.of(ConfigReader.envName("auth.bootstrap-key"), CONFIGURED_KEY)));
  }

  // The store as this instance sees it in the race: the first `read` misses what the other instance wrote
  // just after, and `write` is refused because that record now exists.
  private AccountRecords losingTheRace(String read, String write) {
    AccountRecords real = store.accounts();
    AtomicBoolean missed = new AtomicBoolean();
    return (AccountRecords) Proxy.newProxyInstance(AccountRecords.class.getClassLoader(),
        new Class<?>[] {AccountRecords.class}, (proxy, method, args) -> {
          if (method.getName().equals(read) && missed.compareAndSet(false, true)) {
            return Future.succeededFuture(null);
          }
          if (method.getName().equals(write)) {
            return Future.failedFuture(new FerryException(ErrorCode.NAME_TAKEN, "taken by the other instance"));
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
