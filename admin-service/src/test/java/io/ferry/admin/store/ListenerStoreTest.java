package io.ferry.admin.store;

import io.ferry.admin.model.Listener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listener names are unique per queue, and listener changes are atomic and durable. */
class ListenerStoreTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private AdminStore store;
  private QueueInfo queue;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = await(RocksAdminStore.open(vertx, dir));
    queue = new QueueInfo(Ids.newId(), "acct", "q", 1, 1, QueueSettings.DEFAULTS);
    await(store.insertQueue(queue));
  }

  @AfterEach
  void close() throws Exception {
    await(store.close());
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static ErrorCode failure(Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> await(future));
    return FerryException.from(e).code();
  }

  private Listener listener(QueueInfo of, String name) {
    return new Listener(Ids.newId(), of.accountId(), of.id(), name, "https://a.example/n", "https://a.example/l",
        "whsec_x", System.currentTimeMillis());
  }

  @Test
  void namesAreUniquePerQueue() throws Exception {
    await(store.insertListener(listener(queue, "same")));
    assertEquals(ErrorCode.NAME_TAKEN, failure(store.insertListener(listener(queue, "same"))));
    QueueInfo other = new QueueInfo(Ids.newId(), "acct", "other", 2, 2, QueueSettings.DEFAULTS);
    await(store.insertQueue(other));
    await(store.insertListener(listener(other, "same")));
    assertEquals(1, await(store.listeners(queue.id())).size());
  }

  @Test
  void updatesSurviveReopening() throws Exception {
    Listener original = listener(queue, "before");
    await(store.insertListener(original));
    Listener updated = await(store.updateListener(original.id(),
        l -> l.withSettings("after", "https://b.example/n", l.livenessUrl()).withEnabled(false).withSecret("whsec_y")));
    assertEquals(new Listener(original.id(), "acct", queue.id(), "after", "https://b.example/n",
        "https://a.example/l", "whsec_y", original.createdAtMs(), false), updated);
    await(store.close());

    store = await(RocksAdminStore.open(vertx, dir));
    assertEquals(updated, await(store.listener(original.id())));
  }

  @Test
  void refusesRenamingOntoAnotherListenerAndMissingListeners() throws Exception {
    Listener mine = listener(queue, "mine");
    await(store.insertListener(mine));
    await(store.insertListener(listener(queue, "theirs")));
    assertEquals(ErrorCode.NAME_TAKEN,
        failure(store.updateListener(mine.id(), l -> l.withSettings("theirs", l.notifyUrl(), l.livenessUrl()))));
    assertEquals(mine, await(store.listener(mine.id())));
    // Keeping its own name is no conflict.
    assertEquals(mine.withEnabled(false), await(store.updateListener(mine.id(), l -> l.withEnabled(false))));
    assertEquals(ErrorCode.NOT_FOUND, failure(store.updateListener(Ids.newId(), l -> l)));
  }

  @Test
  void recordsFromBeforeTheStatusWereEnabled() {
    JsonObject legacy = listener(queue, "old").toJson();
    legacy.remove("enabled");
    assertTrue(Listener.fromJson(legacy).enabled());
  }
}
