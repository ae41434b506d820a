package io.ferry.admin.store;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.vertx.core.Future;
import java.util.List;

/** Accounts and their API keys: one area of an {@link AdminStore}, under its general contract. */
public interface AccountRecords {

  Future<Void> insertAccount(Account account);

  /**
   * Creates an account together with its first key, atomically; fails NAME_TAKEN (field {@code name}) when
   * an account of that name exists.
   */
  Future<Void> insertAccountWithKey(Account account, ApiKey key);

  Future<Account> account(String accountId);

  Future<Account> accountByName(String name);

  Future<List<Account>> accounts();

  Future<Void> insertApiKey(ApiKey key);

  /** Overwrites an existing key (its hash stays what it was); fails NOT_FOUND when it is gone. */
  Future<Void> updateApiKey(ApiKey key);

  /** Deletes the key; a missing key is a no-op. */
  Future<Void> deleteApiKey(String keyId);

  /** The key with this id, or {@code null}. */
  Future<ApiKey> apiKey(String keyId);

  Future<ApiKey> apiKeyByHash(String keyHash);

  Future<List<ApiKey>> apiKeys(String accountId);
}
