package io.ferry.admin.store;

import static io.ferry.admin.store.RocksRecords.ACCOUNT;
import static io.ferry.admin.store.RocksRecords.API_KEY;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.admin.store.RocksRecords.KindRecord;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.util.List;
import org.rocksdb.RocksDBException;

// Accounts and API keys in RocksDB. The index keeps keys by hash: authentication looks one up on every request.
final class RocksAccountRecords implements AccountRecords {

  private final StoreAccess store;
  private final AdminIndex index;

  RocksAccountRecords(StoreAccess store) {
    this.store = store;
    this.index = store.index;
  }

  @Override
  public Future<Void> insertAccount(Account account) {
    return store.write(records -> {
      records.put(ACCOUNT, account.id(), account.toJson());
      index.accounts.put(account.id(), account);
    });
  }

  @Override
  public Future<Void> insertAccountWithKey(Account account, ApiKey key) {
    return store.write(records -> {
      if (index.accounts.values().stream().anyMatch(a -> a.name().equals(account.name()))) {
        throw new FerryException(ErrorCode.NAME_TAKEN, "an account named '" + account.name() + "' already exists",
            "name");
      }
      records.putAll(List.of(new KindRecord(ACCOUNT, account.id(), account.toJson()),
          new KindRecord(API_KEY, key.id(), key.toJson())));
      index.accounts.put(account.id(), account);
      index.keysByHash.put(key.keyHash(), key);
    });
  }

  @Override
  public Future<Account> account(String accountId) {
    return store.read(() -> index.accounts.get(accountId));
  }

  @Override
  public Future<Account> accountByName(String name) {
    return store.read(() -> AdminIndex.select(index.accounts, a -> a.name().equals(name), Account::createdAtMs)
        .stream().findFirst().orElse(null));
  }

  @Override
  public Future<List<Account>> accounts() {
    return store.read(() -> AdminIndex.select(index.accounts, a -> true, Account::createdAtMs));
  }

  @Override
  public Future<Void> insertApiKey(ApiKey key) {
    return store.write(records -> putKey(records, key));
  }

  @Override
  public Future<Void> updateApiKey(ApiKey key) {
    return store.write(records -> {
      ApiKey existing = StoreAccess.requireFound(index.keyById(key.id()), "api key", key.id());
      putKey(records, existing.with(key.name(), key.status(), key.scopes()));
    });
  }

  @Override
  public Future<Void> deleteApiKey(String keyId) {
    return store.write(records -> {
      ApiKey existing = index.keyById(keyId);
      if (existing != null) {
        records.delete(API_KEY, keyId);
        index.keysByHash.remove(existing.keyHash());
      }
    });
  }

  @Override
  public Future<ApiKey> apiKey(String keyId) {
    return store.read(() -> index.keyById(keyId));
  }

  @Override
  public Future<ApiKey> apiKeyByHash(String keyHash) {
    return store.read(() -> index.keysByHash.get(keyHash));
  }

  @Override
  public Future<List<ApiKey>> apiKeys(String accountId) {
    return store.read(() -> AdminIndex.select(index.keysByHash, k -> k.accountId().equals(accountId),
        ApiKey::createdAtMs));
  }

  private void putKey(RocksRecords records, ApiKey key) throws RocksDBException {
    records.put(API_KEY, key.id(), key.toJson());
    index.keysByHash.put(key.keyHash(), key);
  }
}
