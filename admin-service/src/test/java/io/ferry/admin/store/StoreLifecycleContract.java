package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.model.Account;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** What {@link AdminStore} promises for every area: answers on the caller's context, UNAVAILABLE once closed. */
abstract class StoreLifecycleContract extends AdminStoreContract {

  @Test
  void writesCompleteOnTheCallersContext() throws Exception {
    Context context = vertx.getOrCreateContext();
    Promise<Boolean> sameContext = Promise.promise();
    context.runOnContext(v -> store.accounts().insertAccount(new Account(Ids.newId(), "x", 1L))
        .onComplete(ar -> sameContext.complete(Vertx.currentContext() == context)));
    assertTrue(await(sameContext.future()));
  }

  @Test
  void closedStoreIsUnavailable() throws Exception {
    await(store.close());
    assertFalse(store.isOpen());
    assertEquals(ErrorCode.UNAVAILABLE, failure(store.queues().insertQueue(queue("a", "late"))).code());
    assertEquals(ErrorCode.UNAVAILABLE, failure(store.queues().allQueues()).code());
    assertEquals(ErrorCode.UNAVAILABLE, failure(store.accounts().accounts()).code());
  }
}
