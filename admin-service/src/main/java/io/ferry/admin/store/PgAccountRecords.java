package io.ferry.admin.store;

import static io.ferry.admin.store.PgAccess.CREATION_ORDER;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;

// Accounts and API keys in PostgreSQL. Account names and key hashes are unique in the database, so two admin
// instances creating the same account, or the same configured bootstrap key, cannot both succeed.
final class PgAccountRecords implements AccountRecords {

  private static final String INSERT_ACCOUNT = "INSERT INTO admin_accounts (id, name, created_at_ms, doc) "
      + "VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
      + "created_at_ms = EXCLUDED.created_at_ms, doc = EXCLUDED.doc";
  private static final String INSERT_KEY = "INSERT INTO admin_api_keys (id, account_id, key_hash, created_at_ms, doc) "
      + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET account_id = EXCLUDED.account_id, "
      + "key_hash = EXCLUDED.key_hash, created_at_ms = EXCLUDED.created_at_ms, doc = EXCLUDED.doc";
  private static final String ACCOUNT_NAME_KEY = "admin_accounts_name_key";
  private static final String KEY_HASH_KEY = "admin_api_keys_key_hash_key";

  private final PgAccess db;

  PgAccountRecords(PgAccess db) {
    this.db = db;
  }

  @Override
  public Future<Void> insertAccount(Account account) {
    return db.run("storing an account", pool -> insertAccount(pool, account));
  }

  @Override
  public Future<Void> insertAccountWithKey(Account account, ApiKey key) {
    return db.inTransaction("storing an account and its key",
        tx -> insertAccount(tx, account).compose(v -> insertKey(tx, key)));
  }

  @Override
  public Future<Account> account(String accountId) {
    return db.one("reading an account", "SELECT doc FROM admin_accounts WHERE id = $1", Tuple.of(accountId))
        .map(doc -> doc == null ? null : Account.fromJson(doc));
  }

  @Override
  public Future<Account> accountByName(String name) {
    return db.one("reading an account", "SELECT doc FROM admin_accounts WHERE name = $1", Tuple.of(name))
        .map(doc -> doc == null ? null : Account.fromJson(doc));
  }

  @Override
  public Future<List<Account>> accounts() {
    return db.list("listing accounts", "SELECT doc FROM admin_accounts" + CREATION_ORDER, Tuple.tuple(),
        Account::fromJson);
  }

  @Override
  public Future<Void> insertApiKey(ApiKey key) {
    return db.run("storing an api key", pool -> insertKey(pool, key));
  }

  @Override
  public Future<Void> updateApiKey(ApiKey key) {
    return db.inTransaction("updating an api key", tx -> tx
        .preparedQuery("SELECT doc FROM admin_api_keys WHERE id = $1 FOR UPDATE").execute(Tuple.of(key.id()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(PgAccess.notFound("api key", key.id()));
          }
          ApiKey existing = ApiKey.fromJson(PgAccess.doc(rows.iterator().next()));
          ApiKey updated = existing.with(key.name(), key.status(), key.scopes());
          return tx.preparedQuery("UPDATE admin_api_keys SET doc = $2 WHERE id = $1")
              .execute(Tuple.of(key.id(), updated.toJson().encode())).mapEmpty();
        }));
  }

  @Override
  public Future<Void> deleteApiKey(String keyId) {
    return db.execute("deleting an api key", "DELETE FROM admin_api_keys WHERE id = $1", Tuple.of(keyId))
        .mapEmpty();
  }

  @Override
  public Future<ApiKey> apiKey(String keyId) {
    return db.one("reading an api key", "SELECT doc FROM admin_api_keys WHERE id = $1", Tuple.of(keyId))
        .map(doc -> doc == null ? null : ApiKey.fromJson(doc));
  }

  @Override
  public Future<ApiKey> apiKeyByHash(String keyHash) {
    return db.one("reading an api key", "SELECT doc FROM admin_api_keys WHERE key_hash = $1", Tuple.of(keyHash))
        .map(doc -> doc == null ? null : ApiKey.fromJson(doc));
  }

  @Override
  public Future<List<ApiKey>> apiKeys(String accountId) {
    return db.list("listing api keys", "SELECT doc FROM admin_api_keys WHERE account_id = $1" + CREATION_ORDER,
        Tuple.of(accountId), ApiKey::fromJson);
  }

  private static Future<Void> insertAccount(SqlClient client, Account account) {
    return client.preparedQuery(INSERT_ACCOUNT)
        .execute(Tuple.of(account.id(), account.name(), account.createdAtMs(), account.toJson().encode()))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(PgAccess.violated(failure, ACCOUNT_NAME_KEY)
            ? new FerryException(ErrorCode.NAME_TAKEN, "an account named '" + account.name() + "' already exists",
                "name")
            : failure));
  }

  private static Future<Void> insertKey(SqlClient client, ApiKey key) {
    return client.preparedQuery(INSERT_KEY)
        .execute(Tuple.of(key.id(), key.accountId(), key.keyHash(), key.createdAtMs(), key.toJson().encode()))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(PgAccess.violated(failure, KEY_HASH_KEY)
            ? new FerryException(ErrorCode.NAME_TAKEN, "an api key with this secret already exists", "key")
            : failure));
  }
}
