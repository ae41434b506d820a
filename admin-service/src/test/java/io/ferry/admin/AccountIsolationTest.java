package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.admin.bus.BusAdminEvents;
import io.ferry.admin.bus.BusDeliveryQueries;
import io.ferry.admin.bus.BusMessagingCommands;
import io.ferry.admin.core.AdminEvents;
import io.ferry.admin.core.ConsumerService;
import io.ferry.admin.core.ConsumerSettings;
import io.ferry.admin.core.ListenerService;
import io.ferry.admin.core.LivenessReports;
import io.ferry.admin.core.MessagingCommands;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.WebhookTargets;
import io.ferry.admin.store.AdminStore;
import io.ferry.admin.store.RocksAdminStore;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.config.WebhookNetworkConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One account can never read, change or learn of another account's queues. */
class AccountIsolationTest {

  private final String alice = Ids.newId();
  private final String bob = Ids.newId();
  private Vertx vertx;
  private AdminStore store;
  private QueueService queues;
  private ConsumerService consumers;
  private ListenerService listeners;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
    new MessagingStandIn(vertx).register();
    store = RocksAdminStore.open(vertx, dir).await(10, TimeUnit.SECONDS);
    MessagingCommands messaging = new BusMessagingCommands(vertx);
    AdminEvents events = new BusAdminEvents(vertx);
    queues = new QueueService(store.queues(), store.consumers(), store.listeners(), messaging, events);
    consumers = new ConsumerService(store.consumers(), store.listeners(), queues, messaging, events);
    listeners = new ListenerService(store.listeners(), queues, messaging, new BusDeliveryQueries(vertx), events,
        new WebhookTargets(new WebhookNetworkConfig(List.of())), new LivenessReports(), store.attempts());
  }

  @AfterEach
  void stop() throws Exception {
    store.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static Principal caller(String accountId) {
    return new Principal(accountId, "key", List.of(Principal.ALL), false);
  }

  private static ErrorCode failure(Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> await(future));
    return FerryException.from(e).code();
  }

  @Test
  void anotherAccountsQueueLooksMissing() throws Exception {
    QueueInfo queue = await(queues.create(alice, "private", QueueSettings.DEFAULTS));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(queues.get(bob, queue.id())));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(queues.delete(bob, queue.id())));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(consumers.list(bob, queue.id())));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND,
        failure(consumers.createPull(bob, queue.id(), null, ConsumerSettings.DEFAULTS)));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(listeners.create(caller(bob), queue.id(), "l",
        "https://93.184.215.14/n", "https://93.184.215.14/l")));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(listeners.ofQueue(caller(bob), queue.id())));
    assertEquals(List.of(), await(queues.list(bob)));
    assertEquals(queue, await(queues.get(alice, queue.id())));
  }

  @Test
  void namesAndListsArePerAccount() throws Exception {
    QueueInfo mine = await(queues.create(alice, "shared-name", QueueSettings.DEFAULTS));
    QueueInfo theirs = await(queues.create(bob, "shared-name", QueueSettings.DEFAULTS));
    await(listeners.create(caller(alice), mine.id(), "l", "https://93.184.215.14/n", "https://93.184.215.14/l"));
    assertEquals(List.of(mine), await(queues.list(alice)));
    assertEquals(List.of(theirs), await(queues.list(bob)));
    assertEquals(1, await(listeners.ofAccount(caller(alice))).size());
    assertEquals(0, await(listeners.ofAccount(caller(bob))).size());
    assertEquals(theirs, await(queues.ensure(bob, "shared-name")));
  }
}
