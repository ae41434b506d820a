package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.admin.model.Account;
import io.ferry.admin.model.ApiKey;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AccountRecords}: accounts and API keys, durable, account names unique when created with a key. */
abstract class AccountRecordsContract extends AdminStoreContract {

  private static ApiKey key(Account account, String name, long createdAtMs) {
    return new ApiKey(Ids.newId(), account.id(), name, Ids.newId().repeat(2), false, createdAtMs);
  }

  @Test
  void accountsAndKeysSurviveReopening() throws Exception {
    Account account = new Account(Ids.newId(), "default", 1L);
    ApiKey key = new ApiKey(Ids.newId(), account.id(), "bootstrap", "ab".repeat(32), true, 2L);
    await(store.accounts().insertAccount(account));
    await(store.accounts().insertApiKey(key));
    reopen();
    assertEquals(account, await(store.accounts().account(account.id())));
    assertEquals(account, await(store.accounts().accountByName("default")));
    assertEquals(List.of(account), await(store.accounts().accounts()));
    assertEquals(key, await(store.accounts().apiKeyByHash(key.keyHash())));
    assertEquals(key, await(store.accounts().apiKey(key.id())));
    assertEquals(List.of(key), await(store.accounts().apiKeys(account.id())));
  }

  @Test
  void anAccountCreatedWithItsKeyNeedsAFreeName() throws Exception {
    Account first = new Account(Ids.newId(), "shop", 1L);
    await(store.accounts().insertAccountWithKey(first, key(first, "k", 1L)));
    Account twin = new Account(Ids.newId(), "shop", 2L);
    assertEquals(ErrorCode.NAME_TAKEN,
        failure(store.accounts().insertAccountWithKey(twin, key(twin, "k", 2L))).code());
    assertNull(await(store.accounts().account(twin.id())));
    assertEquals(List.of(), await(store.accounts().apiKeys(twin.id())));
  }

  @Test
  void updatingAKeyKeepsItsHashAndDeletingAMissingKeyIsANoOp() throws Exception {
    Account account = new Account(Ids.newId(), "a", 1L);
    await(store.accounts().insertAccount(account));
    ApiKey key = key(account, "before", 1L);
    assertEquals(ErrorCode.NOT_FOUND, failure(store.accounts().updateApiKey(key)).code());
    await(store.accounts().insertApiKey(key));
    ApiKey renamed = new ApiKey(key.id(), account.id(), "after", "ff".repeat(32), false, 1L, ApiKey.DISABLED,
        List.of("queues:read"));
    await(store.accounts().updateApiKey(renamed));
    reopen();
    assertEquals(key.with("after", ApiKey.DISABLED, List.of("queues:read")),
        await(store.accounts().apiKeyByHash(key.keyHash())));
    await(store.accounts().deleteApiKey(key.id()));
    await(store.accounts().deleteApiKey(key.id()));
    assertNull(await(store.accounts().apiKey(key.id())));
    assertNull(await(store.accounts().apiKeyByHash(key.keyHash())));
  }
}
