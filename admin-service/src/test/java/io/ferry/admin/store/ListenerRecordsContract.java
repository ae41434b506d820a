package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ListenerRecords}: listeners need their queue, names are unique per queue, changes atomic and durable. */
abstract class ListenerRecordsContract extends AdminStoreContract {

  private QueueInfo queue;

  @BeforeEach
  void storeAQueue() throws Exception {
    queue = storedQueue("acct", "q");
  }

  @Test
  void listenersNeedTheirQueue() throws Exception {
    assertEquals(ErrorCode.QUEUE_NOT_FOUND,
        failure(store.listeners().insertListener(listener(queue("acct", "missing"), "l"))).code());
  }

  @Test
  void namesAreUniquePerQueue() throws Exception {
    await(store.listeners().insertListener(listener(queue, "same")));
    assertEquals(ErrorCode.NAME_TAKEN, failure(store.listeners().insertListener(listener(queue, "same"))).code());
    QueueInfo other = storedQueue("acct", "other");
    await(store.listeners().insertListener(listener(other, "same")));
    assertEquals(1, await(store.listeners().listeners(queue.id())).size());
    assertEquals(2, await(store.listeners().accountListeners("acct")).size());
  }

  @Test
  void updatesSurviveReopening() throws Exception {
    Listener original = listener(queue, "before");
    await(store.listeners().insertListener(original));
    Listener updated = await(store.listeners().updateListener(original.id(),
        l -> l.withSettings("after", "https://b.example/n", l.livenessUrl()).withEnabled(false).withSecret("whsec_y")));
    assertEquals(new Listener(original.id(), "acct", queue.id(), "after", "https://b.example/n",
        "https://a.example/l", "whsec_y", original.createdAtMs(), false), updated);
    reopen();
    assertEquals(updated, await(store.listeners().listener(original.id())));
    assertEquals(List.of(updated), await(store.listeners().accountListeners("acct")));
  }

  @Test
  void refusesRenamingOntoAnotherListenerAndMissingListeners() throws Exception {
    Listener mine = listener(queue, "mine");
    await(store.listeners().insertListener(mine));
    await(store.listeners().insertListener(listener(queue, "theirs")));
    assertEquals(ErrorCode.NAME_TAKEN, failure(store.listeners().updateListener(mine.id(),
        l -> l.withSettings("theirs", l.notifyUrl(), l.livenessUrl()))).code());
    assertEquals(mine, await(store.listeners().listener(mine.id())));
    // Keeping its own name is no conflict.
    assertEquals(mine.withEnabled(false),
        await(store.listeners().updateListener(mine.id(), l -> l.withEnabled(false))));
    assertEquals(ErrorCode.NOT_FOUND, failure(store.listeners().updateListener(Ids.newId(), l -> l)).code());
  }

  @Test
  void deletesListenersDurably() throws Exception {
    Listener doomed = listener(queue, "doomed");
    Listener kept = listener(queue, "kept");
    await(store.listeners().insertListener(doomed));
    await(store.listeners().insertListener(kept));
    await(store.listeners().deleteListener(doomed.id()));
    reopen();
    assertEquals(List.of(kept), await(store.listeners().allListeners()));
  }
}
