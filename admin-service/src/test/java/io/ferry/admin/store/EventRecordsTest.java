package io.ferry.admin.store;

import io.ferry.admin.model.AuditPage;
import io.ferry.admin.model.EventSubscription;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's audit trail, event subscriptions and queue updates, on a real RocksDB. */
class EventRecordsTest {

  private static final int BOUND = 4;

  @TempDir
  Path dir;
  private Vertx vertx;
  private AdminStore store;
  private final String accountA = Ids.newId();
  private final String accountB = Ids.newId();

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = await(RocksAdminStore.open(vertx, dir, BOUND));
  }

  @AfterEach
  void close() throws Exception {
    if (store.isOpen()) {
      await(store.close());
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static FerryException failure(Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> await(future));
    return FerryException.from(e);
  }

  private void reopen() throws Exception {
    await(store.close());
    store = await(RocksAdminStore.open(vertx, dir, BOUND));
  }

  private static FerryEvent event(String account, String type) {
    return new FerryEvent(Ids.newId(), type, account, Ids.newId(), System.currentTimeMillis(),
        new JsonObject().put("n", type));
  }

  private static List<String> ids(AuditPage page) {
    return page.events().stream().map(FerryEvent::id).toList();
  }

  private QueueInfo queue(String account, String name) throws Exception {
    QueueInfo queue = new QueueInfo(Ids.newId(), account, name, 1, 1, QueueSettings.DEFAULTS);
    await(store.insertQueue(queue));
    return queue;
  }

  @Test
  void pagesEventsNewestFirstPerAccount() throws Exception {
    FerryEvent a1 = event(accountA, "1");
    FerryEvent a2 = event(accountA, "2");
    FerryEvent b1 = event(accountB, "b");
    FerryEvent a3 = event(accountA, "3");
    await(store.appendEvents(List.of(a1, a2, b1)));
    await(store.appendEvents(List.of(a3)));

    AuditPage first = await(store.events(accountA, null, 2, e -> true));
    assertEquals(List.of(a3.id(), a2.id()), ids(first));
    assertEquals(a3, first.events().get(0));
    assertEquals(a2.id(), first.nextAfterId());
    AuditPage second = await(store.events(accountA, first.nextAfterId(), 2, e -> true));
    assertEquals(List.of(a1.id()), ids(second));
    assertNull(second.nextAfterId());
    AuditPage exact = await(store.events(accountA, a3.id(), 2, e -> true));
    assertEquals(List.of(a2.id(), a1.id()), ids(exact));
    assertNull(exact.nextAfterId(), "nothing older than the last one shown");

    assertEquals(List.of(b1.id()), ids(await(store.events(accountB, null, 10, e -> true))));
    assertNull(await(store.events(accountB, a2.id(), 10, e -> true)), "another account's event is no cursor");
    assertNull(await(store.events(accountA, Ids.newId(), 10, e -> true)));
    assertEquals(List.of(), ids(await(store.events(Ids.newId(), null, 10, e -> true))));
  }

  @Test
  void filtersWithoutLosingThePlace() throws Exception {
    List<FerryEvent> events = new ArrayList<>();
    for (int i = 0; i < BOUND; i++) {
      events.add(event(accountA, i % 2 == 0 ? "even" : "odd"));
    }
    await(store.appendEvents(events));
    AuditPage odd = await(store.events(accountA, null, 1, e -> e.type().equals("odd")));
    assertEquals(List.of(events.get(3).id()), ids(odd));
    AuditPage older = await(store.events(accountA, odd.nextAfterId(), 1, e -> e.type().equals("odd")));
    assertEquals(List.of(events.get(1).id()), ids(older));
  }

  @Test
  void keepsTheNewestEventsOfEachAccountAcrossRestarts() throws Exception {
    List<FerryEvent> events = new ArrayList<>();
    for (int i = 0; i < BOUND + 2; i++) {
      events.add(event(accountA, "e" + i));
    }
    await(store.appendEvents(events.subList(0, 3)));
    await(store.appendEvents(events.subList(3, BOUND + 2)));
    await(store.appendEvents(List.of(event(accountB, "other"))));
    List<String> newest = List.of(events.get(5).id(), events.get(4).id(), events.get(3).id(), events.get(2).id());
    assertEquals(newest, ids(await(store.events(accountA, null, 10, e -> true))));
    assertNull(await(store.events(accountA, events.get(1).id(), 10, e -> true)), "dropped events are no cursor");

    reopen();
    assertEquals(newest, ids(await(store.events(accountA, null, 10, e -> true))));
    FerryEvent later = event(accountA, "later");
    await(store.appendEvents(List.of(later)));
    assertEquals(List.of(later.id(), events.get(5).id(), events.get(4).id(), events.get(3).id()),
        ids(await(store.events(accountA, null, 10, e -> true))));
    assertEquals(1, await(store.events(accountB, null, 10, e -> true)).events().size());

    // More events in one write than the bound keeps.
    List<FerryEvent> burst = new ArrayList<>();
    for (int i = 0; i < BOUND * 2; i++) {
      burst.add(event(accountA, "burst" + i));
    }
    await(store.appendEvents(burst));
    assertEquals(List.of(burst.get(7).id(), burst.get(6).id(), burst.get(5).id(), burst.get(4).id()),
        ids(await(store.events(accountA, null, 10, e -> true))));
    assertNull(await(store.events(accountA, burst.get(0).id(), 10, e -> true)));
  }

  @Test
  void storesEventSubscriptionsWithTheirInvariants() throws Exception {
    QueueInfo dest = queue(accountA, "dest");
    QueueInfo other = queue(accountB, "other");
    EventSubscription sub = new EventSubscription(Ids.newId(), accountA, "s", true, "ferry.queues", dest.id(),
        List.of("queue.created"), 1, 1);
    await(store.insertEventSubscription(sub));
    assertEquals(sub, await(store.eventSubscription(sub.id())));

    EventSubscription twin = new EventSubscription(Ids.newId(), accountA, "t", true, "ferry.queues", dest.id(),
        List.of("queue.deleted"), 2, 2);
    assertEquals(ErrorCode.METHOD_NOT_ALLOWED, failure(store.insertEventSubscription(twin)).code());
    EventSubscription foreign = new EventSubscription(Ids.newId(), accountA, "f", true, "ferry.queues", other.id(),
        List.of("queue.created"), 2, 2);
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(store.insertEventSubscription(foreign)).code());
    EventSubscription consumers = new EventSubscription(Ids.newId(), accountA, "c", false, "ferry.consumers",
        dest.id(), List.of("consumer.created"), 3, 3);
    await(store.insertEventSubscription(consumers));
    EventSubscription clash = new EventSubscription(consumers.id(), accountA, "c", false, "ferry.queues",
        dest.id(), List.of("queue.created"), 3, 4);
    assertEquals(ErrorCode.METHOD_NOT_ALLOWED, failure(store.updateEventSubscription(clash)).code());
    EventSubscription missing = new EventSubscription(Ids.newId(), accountA, "m", true, "ferry.listeners",
        dest.id(), List.of("listener.created"), 3, 3);
    assertEquals(ErrorCode.NOT_FOUND, failure(store.updateEventSubscription(missing)).code());

    reopen();
    assertEquals(List.of(sub, consumers), await(store.eventSubscriptions(accountA)));
    await(store.deleteEventSubscription(sub.id()));
    assertNull(await(store.eventSubscription(sub.id())));
    await(store.deleteQueue(dest.id()));
    assertEquals(List.of(), await(store.eventSubscriptions(accountA)), "deleting the destination deletes them");
    reopen();
    assertEquals(List.of(), await(store.eventSubscriptions(accountA)));
  }

  @Test
  void updatesQueuesKeepingNamesUnique() throws Exception {
    QueueInfo first = queue(accountA, "first");
    queue(accountA, "second");
    QueueInfo renamed = new QueueInfo(first.id(), accountA, "renamed", 1, 2, new QueueSettings(5, true, 60));
    await(store.updateQueue(renamed));
    assertEquals(renamed, await(store.queue(first.id())));
    assertEquals(renamed, await(store.queueByName(accountA, "renamed")));
    assertNull(await(store.queueByName(accountA, "first")));
    QueueInfo taken = new QueueInfo(first.id(), accountA, "second", 1, 3, QueueSettings.DEFAULTS);
    assertEquals(ErrorCode.NAME_TAKEN, failure(store.updateQueue(taken)).code());
    QueueInfo gone = new QueueInfo(Ids.newId(), accountA, "gone", 1, 3, QueueSettings.DEFAULTS);
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(store.updateQueue(gone)).code());
    reopen();
    assertEquals(renamed, await(store.queue(first.id())));
  }
}
