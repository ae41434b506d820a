package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.admin.bus.BusAdminEvents;
import io.ferry.admin.bus.BusDeliveryQueries;
import io.ferry.admin.bus.BusMessagingCommands;
import io.ferry.admin.core.AdminEvents;
import io.ferry.admin.core.ListenerChanges;
import io.ferry.admin.core.ListenerService;
import io.ferry.admin.core.ListenerView;
import io.ferry.admin.core.LivenessReports;
import io.ferry.admin.core.MessagingCommands;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.WebhookTargets;
import io.ferry.admin.model.Listener;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listeners are reached only through the caller's own queues (another account's look missing) and only as far as
 * the caller's {@code listeners} scopes reach (403 on its own queues).
 */
class ListenerScopesTest {

  private static final String URL = "https://93.184.215.14/n";
  private final String alice = Ids.newId();
  private final String bob = Ids.newId();
  private Vertx vertx;
  private AdminStore store;
  private QueueService queues;
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

  private static ErrorCode failure(Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> await(future));
    return FerryException.from(e).code();
  }

  private static Principal caller(String accountId, String... scopes) {
    return new Principal(accountId, "key", List.of(scopes), false);
  }

  private static List<String> names(List<ListenerView> views) {
    return views.stream().map(view -> view.listener().name()).toList();
  }

  @Test
  void anotherAccountsListenersLookMissing() throws Exception {
    QueueInfo queue = await(queues.create(alice, "private", QueueSettings.DEFAULTS));
    Listener listener = await(listeners.create(caller(alice, "*"), queue.id(), "l", URL, URL));
    Principal intruder = caller(bob, "*");
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(listeners.get(intruder, queue.id(), listener.id())));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(listeners.update(intruder, queue.id(), listener.id(),
        new ListenerChanges("mine", null, null, false))));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(listeners.rotateSecret(intruder, queue.id(), listener.id())));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(listeners.delete(intruder, queue.id(), listener.id())));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND,
        failure(listeners.redeliver(intruder, queue.id(), listener.id(), List.of())));
    // Through a queue of its own, the other account's listener is simply not there.
    QueueInfo own = await(queues.create(bob, "own", QueueSettings.DEFAULTS));
    assertEquals(ErrorCode.NOT_FOUND, failure(listeners.get(intruder, own.id(), listener.id())));
    assertEquals(List.of(), await(listeners.ofAccount(intruder)));
    assertEquals(listener, await(store.listeners().listener(listener.id())));
  }

  @Test
  void scopesLimitWhichQueuesListenersCanBeReadAndChanged() throws Exception {
    QueueInfo orders = await(queues.create(alice, "orders", QueueSettings.DEFAULTS));
    QueueInfo billing = await(queues.create(alice, "billing", QueueSettings.DEFAULTS));
    Listener onOrders = await(listeners.create(caller(alice, "*"), orders.id(), "orders-hook", URL, URL));
    await(listeners.create(caller(alice, "*"), billing.id(), "billing-hook", URL, URL));

    Principal reader = caller(alice, "listeners:read:orders");
    assertEquals("orders-hook", await(listeners.get(reader, orders.id(), onOrders.id())).listener().name());
    assertEquals(List.of("orders-hook"), names(await(listeners.ofQueue(reader, orders.id()))));
    assertEquals(List.of("orders-hook"), names(await(listeners.ofAccount(reader))));
    assertEquals(ErrorCode.FORBIDDEN, failure(listeners.ofQueue(reader, billing.id())));
    assertEquals(ErrorCode.FORBIDDEN, failure(listeners.create(reader, orders.id(), "more", URL, URL)));
    assertEquals(ErrorCode.FORBIDDEN, failure(listeners.update(reader, orders.id(), onOrders.id(),
        new ListenerChanges(null, null, null, false))));
    assertEquals(ErrorCode.FORBIDDEN, failure(listeners.rotateSecret(reader, orders.id(), onOrders.id())));
    assertEquals(ErrorCode.FORBIDDEN, failure(listeners.delete(reader, orders.id(), onOrders.id())));
    assertEquals(ErrorCode.FORBIDDEN, failure(listeners.redeliver(reader, orders.id(), onOrders.id(), List.of())));

    // A grant by queue id works as one by name; write does not imply read.
    Principal writer = caller(alice, "listeners:write:" + orders.id());
    await(listeners.update(writer, orders.id(), onOrders.id(), new ListenerChanges("renamed", null, null, null)));
    assertEquals(ErrorCode.FORBIDDEN, failure(listeners.get(writer, orders.id(), onOrders.id())));
    assertEquals(ErrorCode.FORBIDDEN, failure(listeners.create(writer, billing.id(), "x", URL, URL)));
    // Both were created within the same millisecond on a fast run, so their list order is not defined.
    assertEquals(Set.of("renamed", "billing-hook"),
        Set.copyOf(names(await(listeners.ofAccount(caller(alice, "listeners"))))));
    assertEquals(List.of(), await(listeners.ofAccount(caller(alice, "queues:read:*"))));
  }
}
