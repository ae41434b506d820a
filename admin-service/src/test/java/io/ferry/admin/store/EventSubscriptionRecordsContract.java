package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.admin.model.EventSubscription;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EventSubscriptionRecords}: a destination of the same account, one subscription per source and queue. */
abstract class EventSubscriptionRecordsContract extends AdminStoreContract {

  private final String accountA = Ids.newId();
  private final String accountB = Ids.newId();

  @Test
  void storesEventSubscriptionsWithTheirInvariants() throws Exception {
    QueueInfo dest = storedQueue(accountA, "dest");
    QueueInfo other = storedQueue(accountB, "other");
    EventSubscription sub = new EventSubscription(Ids.newId(), accountA, "s", true, "ferry.queues", dest.id(),
        List.of("queue.created"), 1, 1);
    await(store.eventSubscriptions().insertEventSubscription(sub));
    assertEquals(sub, await(store.eventSubscriptions().eventSubscription(sub.id())));

    EventSubscription twin = new EventSubscription(Ids.newId(), accountA, "t", true, "ferry.queues", dest.id(),
        List.of("queue.deleted"), 2, 2);
    assertEquals(ErrorCode.METHOD_NOT_ALLOWED,
        failure(store.eventSubscriptions().insertEventSubscription(twin)).code());
    EventSubscription foreign = new EventSubscription(Ids.newId(), accountA, "f", true, "ferry.queues", other.id(),
        List.of("queue.created"), 2, 2);
    assertEquals(ErrorCode.QUEUE_NOT_FOUND,
        failure(store.eventSubscriptions().insertEventSubscription(foreign)).code());
    EventSubscription consumers = new EventSubscription(Ids.newId(), accountA, "c", false, "ferry.consumers",
        dest.id(), List.of("consumer.created"), 3, 3);
    await(store.eventSubscriptions().insertEventSubscription(consumers));
    EventSubscription clash = new EventSubscription(consumers.id(), accountA, "c", false, "ferry.queues",
        dest.id(), List.of("queue.created"), 3, 4);
    assertEquals(ErrorCode.METHOD_NOT_ALLOWED,
        failure(store.eventSubscriptions().updateEventSubscription(clash)).code());
    EventSubscription missing = new EventSubscription(Ids.newId(), accountA, "m", true, "ferry.listeners",
        dest.id(), List.of("listener.created"), 3, 3);
    assertEquals(ErrorCode.NOT_FOUND, failure(store.eventSubscriptions().updateEventSubscription(missing)).code());

    reopen();
    assertEquals(List.of(sub, consumers), await(store.eventSubscriptions().eventSubscriptions(accountA)));
    await(store.eventSubscriptions().deleteEventSubscription(sub.id()));
    assertNull(await(store.eventSubscriptions().eventSubscription(sub.id())));
    await(store.queues().deleteQueue(dest.id()));
    assertEquals(List.of(), await(store.eventSubscriptions().eventSubscriptions(accountA)),
        "deleting the destination deletes them");
    reopen();
    assertEquals(List.of(), await(store.eventSubscriptions().eventSubscriptions(accountA)));
  }
}
