package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.admin.model.EventSubscription;
import io.ferry.admin.model.Listener;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link QueueRecords}: names unique per account, and deleting a queue deletes what hangs on it. */
abstract class QueueRecordsContract extends AdminStoreContract {

  @Test
  void queueNamesAreUniquePerAccount() throws Exception {
    await(store.queues().insertQueue(queue("a", "same")));
    assertEquals(ErrorCode.NAME_TAKEN, failure(store.queues().insertQueue(queue("a", "same"))).code());
    await(store.queues().insertQueue(queue("b", "same")));
    assertEquals(1, await(store.queues().queues("a")).size());
    assertEquals(2, await(store.queues().allQueues()).size());
  }

  @Test
  void updatesQueuesKeepingNamesUnique() throws Exception {
    QueueInfo first = storedQueue("a", "first");
    storedQueue("a", "second");
    QueueInfo renamed = new QueueInfo(first.id(), "a", "renamed", 1, 2, new QueueSettings(5, true, 60));
    await(store.queues().updateQueue(renamed));
    assertEquals(renamed, await(store.queues().queue(first.id())));
    assertEquals(renamed, await(store.queues().queueByName("a", "renamed")));
    assertNull(await(store.queues().queueByName("a", "first")));
    QueueInfo taken = new QueueInfo(first.id(), "a", "second", 1, 3, QueueSettings.DEFAULTS);
    assertEquals(ErrorCode.NAME_TAKEN, failure(store.queues().updateQueue(taken)).code());
    QueueInfo gone = new QueueInfo(Ids.newId(), "a", "gone", 1, 3, QueueSettings.DEFAULTS);
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(store.queues().updateQueue(gone)).code());
    reopen();
    assertEquals(renamed, await(store.queues().queue(first.id())));
    assertEquals(renamed, await(store.queues().queueByName("a", "renamed")));
  }

  @Test
  void deletingAQueueDeletesItsConsumersListenersAndSubscriptionsDurably() throws Exception {
    QueueInfo doomed = storedQueue("a", "doomed");
    QueueInfo kept = storedQueue("a", "kept");
    await(store.consumers().insertConsumer(consumer(doomed)));
    await(store.listeners().insertListener(listener(doomed, "l")));
    Listener keptListener = listener(kept, "l");
    await(store.listeners().insertListener(keptListener));
    EventSubscription into = new EventSubscription(Ids.newId(), "a", "s", true, "ferry.queues", doomed.id(),
        List.of("queue.created"), 1, 1);
    await(store.eventSubscriptions().insertEventSubscription(into));
    await(store.queues().deleteQueue(doomed.id()));
    await(store.queues().deleteQueue(doomed.id()));
    reopen();
    assertNull(await(store.queues().queue(doomed.id())));
    assertNull(await(store.queues().queueByName("a", "doomed")));
    assertEquals(List.of(), await(store.consumers().allConsumers()));
    assertEquals(List.of(keptListener), await(store.listeners().allListeners()));
    assertEquals(List.of(), await(store.eventSubscriptions().eventSubscriptions("a")));
    await(store.queues().insertQueue(queue("a", "doomed")));
  }
}
