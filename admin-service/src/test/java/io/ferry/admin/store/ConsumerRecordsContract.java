package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConsumerRecords}: consumers need their queue, are one per type, and never take another's id. */
abstract class ConsumerRecordsContract extends AdminStoreContract {

  @Test
  void consumersNeedTheirQueueAndAreOnePerType() throws Exception {
    QueueInfo queue = queue("a", "q");
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(store.consumers().insertConsumer(consumer(queue))).code());
    await(store.queues().insertQueue(queue));
    await(store.consumers().insertConsumer(consumer(queue)));
    assertEquals(ErrorCode.CONSUMER_CONFLICT, failure(store.consumers().insertConsumer(consumer(queue))).code());
    assertEquals(1, await(store.consumers().allConsumers()).size());
  }

  @Test
  void aConsumerNeverTakesTheIdOfAnotherConsumerOrOfAListener() throws Exception {
    QueueInfo theirs = storedQueue("a", "theirs");
    QueueInfo mine = storedQueue("b", "mine");
    QueueConsumer consumer = consumer(theirs);
    Listener listener = listener(theirs, "l");
    await(store.consumers().insertConsumer(consumer));
    await(store.listeners().insertListener(listener));
    for (String taken : List.of(consumer.id(), listener.id())) {
      QueueConsumer thief = new QueueConsumer(taken, "b", mine.id(), QueueConsumer.HTTP_PULL, null, 5, 3, 0,
          30_000, System.currentTimeMillis());
      assertEquals(ErrorCode.NOT_FOUND, failure(store.consumers().insertConsumer(thief)).code());
    }
    assertEquals(List.of(), await(store.consumers().consumers(mine.id())));
    assertEquals(List.of(consumer), await(store.consumers().consumers(theirs.id())));
  }

  @Test
  void updatesAndDeletesConsumersDurably() throws Exception {
    QueueInfo queue = storedQueue("a", "q");
    // With the settings only kept for reading back, so that they survive too.
    QueueConsumer consumer = new QueueConsumer(Ids.newId(), "a", queue.id(), QueueConsumer.HTTP_PULL, null, 5, 3,
        0, 30_000, 3L, 2_500, 10);
    assertEquals(ErrorCode.NOT_FOUND, failure(store.consumers().updateConsumer(consumer)).code());
    await(store.consumers().insertConsumer(consumer));
    QueueConsumer changed = consumer.withDeadLetterQueueId(Ids.newId());
    await(store.consumers().updateConsumer(changed));
    reopen();
    assertEquals(changed, await(store.consumers().consumer(consumer.id())));
    assertEquals(List.of(changed), await(store.consumers().consumers(queue.id())));
    await(store.consumers().deleteConsumer(consumer.id()));
    assertEquals(List.of(), await(store.consumers().consumers(queue.id())));
  }
}
