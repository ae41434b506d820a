package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.admin.model.AttemptPage;
import io.ferry.admin.model.Listener;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.WebhookAttempt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AttemptRecords}: each listener's newest attempts, newest first, durable, bounded as the append says; a
 * message's attempts over the listeners of its queue.
 */
abstract class AttemptRecordsContract extends AdminStoreContract {

  private String queue;
  private String listenerA;
  private String listenerB;
  private long clock = 1_767_225_600_000L;

  @BeforeEach
  void storeTheQueueAndItsListeners() throws Exception {
    QueueInfo stored = storedQueue("acct", "attempts");
    queue = stored.id();
    listenerA = storedListener(stored, "a");
    listenerB = storedListener(stored, "b");
  }

  private String storedListener(QueueInfo queue, String name) throws Exception {
    Listener listener = listener(queue, name);
    await(store.listeners().insertListener(listener));
    return listener.id();
  }

  private WebhookAttempt attempt(String listener, String message, int number) {
    return new WebhookAttempt(Ids.newId(), queue, listener, message, number, clock++, "5xx", 503, null, 12,
        "busy");
  }

  private static List<String> ids(List<WebhookAttempt> attempts) {
    return attempts.stream().map(WebhookAttempt::id).toList();
  }

  @Test
  void pagesAListenersAttemptsNewestFirst() throws Exception {
    String message = Ids.newId();
    WebhookAttempt a1 = attempt(listenerA, message, 1);
    WebhookAttempt b1 = attempt(listenerB, message, 1);
    WebhookAttempt a2 = attempt(listenerA, message, 2);
    WebhookAttempt a3 = new WebhookAttempt(Ids.newId(), queue, listenerA, Ids.newId(), 1, clock++, "timeout", null,
        "no answer within 100 ms", 100, null);
    await(store.attempts().appendAttempts(List.of(a1, b1, a2), 10));
    await(store.attempts().appendAttempts(List.of(a3), 10));

    AttemptPage first = await(store.attempts().listenerAttempts(listenerA, null, 2));
    assertEquals(List.of(a3, a2), first.attempts(), "every field is kept");
    assertEquals(a2.id(), first.nextAfterId());
    AttemptPage second = await(store.attempts().listenerAttempts(listenerA, first.nextAfterId(), 2));
    assertEquals(List.of(a1.id()), ids(second.attempts()));
    assertNull(second.nextAfterId());
    AttemptPage exact = await(store.attempts().listenerAttempts(listenerA, null, 3));
    assertEquals(3, exact.attempts().size());
    assertNull(exact.nextAfterId(), "nothing older than the last one shown");

    assertEquals(List.of(b1.id()), ids(await(store.attempts().listenerAttempts(listenerB, null, 10)).attempts()));
    assertNull(await(store.attempts().listenerAttempts(listenerB, a1.id(), 10)), "another listener's attempt is no cursor");
    assertNull(await(store.attempts().listenerAttempts(listenerA, Ids.newId(), 10)));
    assertEquals(List.of(), await(store.attempts().listenerAttempts(Ids.newId(), null, 10)).attempts());

    assertEquals(List.of(a2.id(), b1.id(), a1.id()),
        ids(await(store.attempts().messageAttempts(queue, message, 10))), "a message's attempts over its listeners");
    assertEquals(List.of(a2.id()), ids(await(store.attempts().messageAttempts(queue, message, 1))));
    assertEquals(List.of(), await(store.attempts().messageAttempts(Ids.newId(), message, 10)));
  }

  @Test
  void eachLogKeepsItsNewestAttemptsAcrossReopening() throws Exception {
    String message = Ids.newId();
    List<WebhookAttempt> appended = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      appended.add(attempt(listenerA, message, i));
    }
    WebhookAttempt other = attempt(listenerB, message, 1);
    await(store.attempts().appendAttempts(List.of(appended.get(0), appended.get(1), other), 3));
    reopen();
    await(store.attempts().appendAttempts(appended.subList(2, 5), 3));

    List<String> newest = ids(List.of(appended.get(4), appended.get(3), appended.get(2)));
    assertEquals(newest, ids(await(store.attempts().listenerAttempts(listenerA, null, 10)).attempts()));
    assertNull(await(store.attempts().listenerAttempts(listenerA, appended.get(0).id(), 10)),
        "a dropped attempt is no cursor");
    assertEquals(List.of(other.id(), appended.get(4).id(), appended.get(3).id(), appended.get(2).id()),
        ids(await(store.attempts().messageAttempts(queue, message, 10))), "dropped attempts leave the message's list");
    assertEquals(List.of(other.id()), ids(await(store.attempts().listenerAttempts(listenerB, null, 10)).attempts()));
  }

  @Test
  void deletingALogLeavesTheOthers() throws Exception {
    String message = Ids.newId();
    WebhookAttempt a = attempt(listenerA, message, 1);
    WebhookAttempt b = attempt(listenerB, message, 1);
    await(store.attempts().appendAttempts(List.of(a, b), 10));
    await(store.attempts().deleteListenerAttempts(listenerA));
    assertEquals(List.of(), await(store.attempts().listenerAttempts(listenerA, null, 10)).attempts());
    assertEquals(List.of(b.id()), ids(await(store.attempts().messageAttempts(queue, message, 10))));
    WebhookAttempt again = attempt(listenerA, message, 2);
    await(store.attempts().appendAttempts(List.of(again), 10));
    assertEquals(List.of(again.id()), ids(await(store.attempts().listenerAttempts(listenerA, null, 10)).attempts()));
  }
}
