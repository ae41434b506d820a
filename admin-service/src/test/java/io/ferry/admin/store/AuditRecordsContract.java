package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.admin.model.AuditPage;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AuditRecords}: each account's newest events, newest first, durable; tests keep {@value #BOUND} each. */
abstract class AuditRecordsContract extends AdminStoreContract {

  private static final int BOUND = 4;

  private final String accountA = Ids.newId();
  private final String accountB = Ids.newId();

  @Override
  protected int maxEventsPerAccount() {
    return BOUND;
  }

  private static FerryEvent event(String account, String type) {
    return new FerryEvent(Ids.newId(), type, account, Ids.newId(), System.currentTimeMillis(),
        new JsonObject().put("n", type));
  }

  private static List<String> ids(AuditPage page) {
    return page.events().stream().map(FerryEvent::id).toList();
  }

  @Test
  void pagesEventsNewestFirstPerAccount() throws Exception {
    FerryEvent a1 = event(accountA, "1");
    FerryEvent a2 = event(accountA, "2");
    FerryEvent b1 = event(accountB, "b");
    FerryEvent a3 = event(accountA, "3");
    await(store.audit().appendEvents(List.of(a1, a2, b1)));
    await(store.audit().appendEvents(List.of(a3)));

    AuditPage first = await(store.audit().events(accountA, null, 2, e -> true));
    assertEquals(List.of(a3.id(), a2.id()), ids(first));
    assertEquals(a3, first.events().get(0));
    assertEquals(a2.id(), first.nextAfterId());
    AuditPage second = await(store.audit().events(accountA, first.nextAfterId(), 2, e -> true));
    assertEquals(List.of(a1.id()), ids(second));
    assertNull(second.nextAfterId());
    AuditPage exact = await(store.audit().events(accountA, a3.id(), 2, e -> true));
    assertEquals(List.of(a2.id(), a1.id()), ids(exact));
    assertNull(exact.nextAfterId(), "nothing older than the last one shown");

    assertEquals(List.of(b1.id()), ids(await(store.audit().events(accountB, null, 10, e -> true))));
    assertNull(await(store.audit().events(accountB, a2.id(), 10, e -> true)), "another account's event is no cursor");
    assertNull(await(store.audit().events(accountA, Ids.newId(), 10, e -> true)));
    assertEquals(List.of(), ids(await(store.audit().events(Ids.newId(), null, 10, e -> true))));
  }

  @Test
  void filtersWithoutLosingThePlace() throws Exception {
    List<FerryEvent> events = new ArrayList<>();
    for (int i = 0; i < BOUND; i++) {
      events.add(event(accountA, i % 2 == 0 ? "even" : "odd"));
    }
    await(store.audit().appendEvents(events));
    AuditPage odd = await(store.audit().events(accountA, null, 1, e -> e.type().equals("odd")));
    assertEquals(List.of(events.get(3).id()), ids(odd));
    AuditPage older = await(store.audit().events(accountA, odd.nextAfterId(), 1, e -> e.type().equals("odd")));
    assertEquals(List.of(events.get(1).id()), ids(older));
  }

  @Test
  void keepsTheNewestEventsOfEachAccountAcrossRestarts() throws Exception {
    List<FerryEvent> events = new ArrayList<>();
    for (int i = 0; i < BOUND + 2; i++) {
      events.add(event(accountA, "e" + i));
    }
    await(store.audit().appendEvents(events.subList(0, 3)));
    await(store.audit().appendEvents(events.subList(3, BOUND + 2)));
    await(store.audit().appendEvents(List.of(event(accountB, "other"))));
    List<String> newest = List.of(events.get(5).id(), events.get(4).id(), events.get(3).id(), events.get(2).id());
    assertEquals(newest, ids(await(store.audit().events(accountA, null, 10, e -> true))));
    assertNull(await(store.audit().events(accountA, events.get(1).id(), 10, e -> true)),
        "dropped events are no cursor");

    reopen();
    assertEquals(newest, ids(await(store.audit().events(accountA, null, 10, e -> true))));
    FerryEvent later = event(accountA, "later");
    await(store.audit().appendEvents(List.of(later)));
    assertEquals(List.of(later.id(), events.get(5).id(), events.get(4).id(), events.get(3).id()),
        ids(await(store.audit().events(accountA, null, 10, e -> true))));
    assertEquals(1, await(store.audit().events(accountB, null, 10, e -> true)).events().size());

    // More events in one write than the bound keeps.
    List<FerryEvent> burst = new ArrayList<>();
    for (int i = 0; i < BOUND * 2; i++) {
      burst.add(event(accountA, "burst" + i));
    }
    await(store.audit().appendEvents(burst));
    assertEquals(List.of(burst.get(7).id(), burst.get(6).id(), burst.get(5).id(), burst.get(4).id()),
        ids(await(store.audit().events(accountA, null, 10, e -> true))));
    assertNull(await(store.audit().events(accountA, burst.get(0).id(), 10, e -> true)));
  }
}
