package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerLifecycleTest extends DispatcherTestBase {

  @Test
  void notReadyUntilAdminAnswersThenLoadsTheListeners() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(module.start(vertx));
    HealthChecks checks = HealthChecks.create(vertx);
    module.registerReadiness(checks);

    Thread.sleep(300);
    assertFalse(CheckResult.isUp(await(checks.checkStatus())), "ready before admin answered");
    assertEquals(0, messaging.leaseCount(listener.id()));

    await(admin.serve());

    eventually("readiness turns OK", () -> module.listenersLoaded());
    assertTrue(CheckResult.isUp(await(checks.checkStatus())));
    eventually("the listener leases", () -> messaging.leaseCount(listener.id()) > 0);
  }

  @Test
  void aListenerCreatedEventStartsDeliveryForTheNewListener() throws Exception {
    await(admin.serve());
    await(module.start(vertx));
    eventually("listeners are loaded", () -> module.listenersLoaded());

    ListenerInfo created = listener("q2", receiver.url("/new"));
    admin.listeners.put(created.id(), created);
    LeasedMessage leased = messaging.offerJson("q2", created.id(), "{\"hello\":true}", 1);
    publish("listener.created", created.id());

    eventually("the new listener's message is acked", () -> !messaging.settlements.isEmpty());
    assertEquals(created.id(), messaging.settlements.get(0).subscriptionId());
    assertEquals(List.of(leased.leaseId()), messaging.settlements.get(0).acks());
    assertEquals("/new", receiver.received.take().path());
  }

  @Test
  void aListenerCreatedEventForAnUnknownListenerStartsNothing() throws Exception {
    await(admin.serve());
    await(module.start(vertx));
    eventually("listeners are loaded", () -> module.listenersLoaded());

    String unknown = Ids.newId();
    publish("listener.created", unknown);

    Thread.sleep(300);
    assertEquals(0, messaging.leaseCount(unknown));
  }

  @Test
  void aListenerDeletedEventStopsDelivery() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    await(module.start(vertx));
    eventually("the listener leases", () -> messaging.leaseCount(listener.id()) > 0);

    publish("listener.deleted", listener.id());

    assertStopsLeasing(listener);
  }

  @Test
  void aQueueDeletedEventStopsTheListenersOfThatQueueOnly() throws Exception {
    ListenerInfo onDeleted = listener("q1", receiver.url("/a"));
    ListenerInfo onOther = listener("q2", receiver.url("/b"));
    admin.listeners.put(onDeleted.id(), onDeleted);
    admin.listeners.put(onOther.id(), onOther);
    await(admin.serve());
    await(module.start(vertx));
    eventually("both listeners lease", () -> messaging.leaseCount(onDeleted.id()) > 0
        && messaging.leaseCount(onOther.id()) > 0);

    publish("queue.deleted", "q1");

    assertStopsLeasing(onDeleted);
    long before = messaging.leaseCount(onOther.id());
    eventually("the other queue's listener keeps leasing", () -> messaging.leaseCount(onOther.id()) > before);
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

    eventually("the good listener leases", () -> messaging.leaseCount(good.id()) > 0);
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

    eventually("the enabled listener leases", () -> messaging.leaseCount(enabled.id()) > 0);
    assertEquals(0, messaging.leaseCount(disabled.id()));
    assertEquals(java.util.Set.of(enabled.id()), module.registry().activeListenerIds());
  }

  @Test
  void aListenerUpdatedEventRestartsDeliveryWithTheNewDetails() throws Exception {
    ListenerInfo before = listener("q1", receiver.url("/old"));
    admin.listeners.put(before.id(), before);
    await(admin.serve());
    await(module.start(vertx));
    eventually("the listener leases", () -> messaging.leaseCount(before.id()) > 0);

    ListenerInfo after = new ListenerInfo(before.id(), "acct", "q1", "orders", "hook", receiver.url("/new"), null,
        before.secret());
    admin.listeners.put(after.id(), after);
    publish("listener.updated", after.id());
    Thread.sleep(LEASE_WAIT_MS * 3);
    messaging.offerJson("q1", after.id(), "{}", 1);

    eventually("the message is acked", () -> messaging.acked() == 1);
    assertEquals("/new", receiver.received.take().path());
  }

  @Test
  void aListenerUpdatedToDisabledStopsDelivery() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    await(module.start(vertx));
    eventually("the listener leases", () -> messaging.leaseCount(listener.id()) > 0);

    admin.listeners.put(listener.id(), disabled(listener));
    publish("listener.updated", listener.id());

    eventually("the worker is stopped", () -> module.registry().activeListenerIds().isEmpty());
    assertStopsLeasing(listener);
  }

  @Test
  void aListenerDisabledEventStopsDeliveryAndReEnablingResumesIt() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    await(module.start(vertx));
    eventually("the listener leases", () -> messaging.leaseCount(listener.id()) > 0);

    publish("listener.disabled", listener.id());
    assertStopsLeasing(listener);

    publish("listener.updated", listener.id());
    long stopped = messaging.leaseCount(listener.id());
    eventually("the listener leases again", () -> messaging.leaseCount(listener.id()) > stopped);
  }

  private static ListenerInfo disabled(ListenerInfo listener) {
    return new ListenerInfo(listener.id(), listener.accountId(), listener.queueId(), listener.queueName(),
        listener.name(), listener.notifyUrl(), listener.livenessUrl(), listener.secret(), false);
  }

  private void publish(String type, String resourceId) {
    vertx.eventBus().publish(Addresses.EVENTS,
        new FerryEvent(Ids.newId(), type, "acct", resourceId, System.currentTimeMillis(), new JsonObject()));
  }

  private void assertStopsLeasing(ListenerInfo listener) throws InterruptedException {
    // A lease already held by messaging may still be answered; after that there must be no new one.
    Thread.sleep(LEASE_WAIT_MS * 3);
    long settled = messaging.leaseCount(listener.id());
    Thread.sleep(LEASE_WAIT_MS * 4);
    assertEquals(settled, messaging.leaseCount(listener.id()), "still leasing after the deletion");
  }
}
