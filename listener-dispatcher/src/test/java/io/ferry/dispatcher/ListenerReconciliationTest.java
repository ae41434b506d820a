package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listener events the dispatcher never saw are caught up with by comparing against admin's list. */
class ListenerReconciliationTest extends DispatcherTestBase {

  private static final long RECONCILE_INTERVAL_MS = 200;

  @BeforeEach
  void startWithShortReconcileInterval() throws Exception {
    module = DispatcherModule.create(DispatcherConfigs.of(new JsonObject()
        .put("dispatcher.request-timeout-ms", REQUEST_TIMEOUT_MS)
        .put("dispatcher.max-in-flight-per-listener", MAX_IN_FLIGHT)
        .put("dispatcher.lease-wait-ms", LEASE_WAIT_MS)
        .put("dispatcher.reconcile-interval-ms", RECONCILE_INTERVAL_MS)
        .put("webhooks.allow-list", new JsonArray(LOOPBACK))), NO_JITTER);
    await(admin.serve());
    await(module.start(vertx));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(module::listenersLoaded);
  }

  @Test
  void aListenerCreatedWhileTheEventWasMissedIsDeliveredToAfterReconciliation() throws Exception {
    ListenerInfo created = listener("q2", receiver.url("/missed"));
    LeasedMessage leased = messaging.offerJson("q2", created.id(), "{\"hello\":true}", 1);
    // Created in admin, but no listener.created event reaches the dispatcher.
    admin.listeners.put(created.id(), created);

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !messaging.settlements.isEmpty());
    assertEquals(created.id(), messaging.settlements.get(0).subscriptionId());
    assertEquals(List.of(leased.leaseId()), messaging.settlements.get(0).acks());
    assertEquals("/missed", receiver.received.take().path());
  }

  @Test
  void aListenerDeletedWhileTheEventWasMissedStopsBeingServedAfterReconciliation() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> module.registry().activeListenerIds().contains(listener.id()));

    // Deleted in admin, but no listener.deleted event reaches the dispatcher.
    admin.listeners.remove(listener.id());

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> !module.registry().activeListenerIds().contains(listener.id()));
  }
}
