package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListenerLifecycleTest extends DispatcherTestBase {

  @Test
  void notReadyUntilAdminAnswersThenLoadsTheListeners() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    AtomicInteger askedForListeners = new AtomicInteger();
    MessageConsumer<Object> unavailableAdmin = vertx.eventBus().consumer(Addresses.LISTENERS_ALL, request -> {
      askedForListeners.incrementAndGet();
      request.fail(503, "admin is starting");
    });
    await(unavailableAdmin.completion());
    await(module.start(vertx));
    HealthChecks checks = HealthChecks.create(vertx);
    module.registerReadiness(checks);

    waitUntil("the dispatcher asked admin for its listeners").until(() -> askedForListeners.get() > 0);
    assertFalse(CheckResult.isUp(await(checks.checkStatus())), "ready before admin answered");
    assertEquals(0, messaging.leaseCount(listener.id()));

    await(unavailableAdmin.unregister());
    await(admin.serve());

    waitUntil("readiness turns OK").until(() -> module.listenersLoaded());
    assertTrue(CheckResult.isUp(await(checks.checkStatus())));
    waitUntil("the listener leases").until(() -> messaging.leaseCount(listener.id()) > 0);
  }

  @Test
  void aListenerCreatedEventStartsDeliveryForTheNewListener() throws Exception {
    await(admin.serve());
    await(module.start(vertx));
    waitUntil("listeners are loaded").until(() -> module.listenersLoaded());

    ListenerInfo created = listener("q2", receiver.url("/new"));
    admin.listeners.put(created.id(), created);
    LeasedMessage leased = messaging.offerJson("q2", created.id(), "{\"hello\":true}", 1);
    publish("listener.created", created.id());

    waitUntil("the new listener's message is acked").until(() -> !messaging.settlements.isEmpty());
    assertEquals(created.id(), messaging.settlements.get(0).subscriptionId());
    assertEquals(List.of(leased.leaseId()), messaging.settlements.get(0).acks());
    assertEquals("/new", receiver.received.take().path());
  }

  @Test
  void aListenerCreatedEventForAnUnknownListenerStartsNothing() throws Exception {
    await(admin.serve());
    await(module.start(vertx));
    waitUntil("listeners are loaded").until(() -> module.listenersLoaded());

    String unknown = Ids.newId();
    publish("listener.created", unknown);
    ListenerInfo witness = witness();
    publish("listener.created", witness.id());

    // Events are handled in order: once the witness leases, the unknown listener's fetch has been answered.
    waitUntil("the witness leases three times").until(() -> messaging.leaseCount(witness.id()) >= 3);
    assertEquals(0, messaging.leaseCount(unknown));
    assertEquals(Set.of(witness.id()), module.registry().activeListenerIds());
  }

  @Test
  void aListenerDeletedEventStopsDelivery() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    ListenerInfo witness = witness();
    await(admin.serve());
    await(module.start(vertx));
    waitUntil("the listener leases").until(() -> messaging.leaseCount(listener.id()) > 0);

    publish("listener.deleted", listener.id());

    assertLeasesNoMore(listener, witness);
  }

  @Test
  void aQueueDeletedEventStopsTheListenersOfThatQueueOnly() throws Exception {
    ListenerInfo onDeleted = listener("q1", receiver.url("/a"));
    ListenerInfo onOther = listener("q2", receiver.url("/b"));
    admin.listeners.put(onDeleted.id(), onDeleted);
    admin.listeners.put(onOther.id(), onOther);
    await(admin.serve());
    await(module.start(vertx));
    waitUntil("both listeners lease").until(() -> messaging.leaseCount(onDeleted.id()) > 0
        && messaging.leaseCount(onOther.id()) > 0);

    publish("queue.deleted", "q1");

    assertLeasesNoMore(onDeleted, onOther);
    assertEquals(Set.of(onOther.id()), module.registry().activeListenerIds());
  }

  @Test
  void aListenerWithAnUnusableSecretIsSkippedAndTheOthersServed() throws Exception {
    ListenerInfo good = listener("q1", receiver.url("/hook"));
    ListenerInfo broken = new ListenerInfo(Ids.newId(), "acct", "q1", "orders", "bad", receiver.url("/hook"),
        receiver.url("/hook"), "whsec_not*base64");
    admin.listeners.put(good.id(), good);
    admin.listeners.put(broken.id(), broken);
    await(admin.serve());

    await(module.start(vertx));

    waitUntil("the good listener leases").until(() -> messaging.leaseCount(good.id()) > 0);
    assertEquals(0, messaging.leaseCount(broken.id()));
  }

  @Test
  void aDisabledListenerIsNotStarted() throws Exception {
    ListenerInfo enabled = listener("q1", receiver.url("/a"));
    ListenerInfo disabled = disabled(listener("q1", receiver.url("/b")));
    admin.listeners.put(enabled.id(), enabled);
    admin.listeners.put(disabled.id(), disabled);
    await(admin.serve());

    await(module.start(vertx));

    waitUntil("the enabled listener leases").until(() -> messaging.leaseCount(enabled.id()) > 0);
    assertEquals(0, messaging.leaseCount(disabled.id()));
    assertEquals(Set.of(enabled.id()), module.registry().activeListenerIds());
  }

  @Test
  void aListenerUpdatedEventRestartsDeliveryWithTheNewDetails() throws Exception {
    ListenerInfo before = listener("q1", receiver.url("/old"));
    admin.listeners.put(before.id(), before);
    await(admin.serve());
    await(module.start(vertx));
    waitUntil("the listener leases").until(() -> messaging.leaseCount(before.id()) > 0);

    ListenerInfo after = new ListenerInfo(before.id(), "acct", "q1", "orders", "hook", receiver.url("/new"), null,
        before.secret());
    admin.listeners.put(after.id(), after);
    publish("listener.updated", after.id());
    ListenerInfo witness = witness();
    publish("listener.created", witness.id());
    // Events are handled in order: once the witness leases, the worker has been restarted. A lease the old
    // worker still holds brings the message back to be released, never delivered.
    waitUntil("the witness leases").until(() -> messaging.leaseCount(witness.id()) > 0);
    messaging.offerJson("q1", after.id(), "{}", 1);

    waitUntil("the message is acked").until(() -> messaging.acked() == 1);
    assertEquals("/new", receiver.received.take().path());
  }

  @Test
  void aListenerUpdatedToDisabledStopsDelivery() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    ListenerInfo witness = witness();
    await(admin.serve());
    await(module.start(vertx));
    waitUntil("the listener leases").until(() -> messaging.leaseCount(listener.id()) > 0);

    admin.listeners.put(listener.id(), disabled(listener));
    publish("listener.updated", listener.id());

    assertLeasesNoMore(listener, witness);
  }

  @Test
  void aListenerDisabledEventStopsDeliveryAndReEnablingResumesIt() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    ListenerInfo witness = witness();
    await(admin.serve());
    await(module.start(vertx));
    waitUntil("the listener leases").until(() -> messaging.leaseCount(listener.id()) > 0);

    publish("listener.disabled", listener.id());
    assertLeasesNoMore(listener, witness);

    publish("listener.updated", listener.id());
    long stopped = messaging.leaseCount(listener.id());
    waitUntil("the listener leases again").until(() -> messaging.leaseCount(listener.id()) > stopped);
  }

  private static ListenerInfo disabled(ListenerInfo listener) {
    return new ListenerInfo(listener.id(), listener.accountId(), listener.queueId(), listener.queueName(),
        listener.name(), listener.notifyUrl(), listener.livenessUrl(), listener.secret(), false);
  }

  private void publish(String type, String resourceId) {
    vertx.eventBus().publish(Addresses.EVENTS,
        new FerryEvent(Ids.newId(), type, "acct", resourceId, System.currentTimeMillis(), new JsonObject()));
  }
}
