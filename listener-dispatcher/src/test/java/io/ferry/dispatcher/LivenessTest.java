package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness.State;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.testkit.WebhookReceiver;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The liveness check: inactive pauses delivery without burning attempts, stable resumes with the backlog. */
class LivenessTest extends DispatcherTestBase {

  private static final long INTERVAL_MS = 150;
  private final AtomicBoolean up = new AtomicBoolean();

  @BeforeEach
  void checksOften() {
    module = DispatcherModule.create(config(MAX_ATTEMPTS, 5_000, 300_000, INTERVAL_MS, 2, LOOPBACK), NO_JITTER);
    receiver.respond("/live", r -> r.response().setStatusCode(up.get() ? 200 : 503).end());
  }

  @Test
  void aListenerWhoseLivenessFailsIsPausedUntilItIsUpAgainThenGetsItsBacklog() throws Exception {
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook"), receiver.url("/live")));
    await(module.start(vertx));

    waitUntil("the listener is inactive").until(() -> liveness(listener) != null
        && liveness(listener).state() == State.INACTIVE);
    ListenerLiveness inactive = liveness(listener);
    assertEquals(2, inactive.failureCount());
    assertEquals(0, inactive.successCount());
    assertTrue(inactive.checkedAtMs() > 0);
    waitUntil("listener.inactive is published").until(() -> events(EventTypes.LISTENER_INACTIVE).size() == 1);
    FerryEvent event = events(EventTypes.LISTENER_INACTIVE).get(0);
    assertEquals(listener.id(), event.resourceId());
    assertEquals("q1", event.payload().getString("queue_id"));

    for (int i = 0; i < 6; i++) {
      messaging.offerJson("q1", listener.id(), "{}", 1);
    }
    int failures = liveness(listener).failureCount();
    waitUntil("checks go on while inactive").until(() -> liveness(listener).failureCount() >= failures + 3);
    assertTrue(receiver.received.isEmpty(), "delivered while inactive: " + receiver.received.size());
    assertTrue(messaging.retried().isEmpty(), "attempts burnt while inactive");
    assertEquals(State.INACTIVE, liveness(listener).state());

    up.set(true);

    waitUntil("the backlog is delivered").until(() -> messaging.acked() == 6);
    assertEquals(State.STABLE, liveness(listener).state());
    assertEquals(1, events(EventTypes.LISTENER_STABLE).size());
    for (WebhookReceiver.Received delivery : receiver.received) {
      assertEquals(1, new JsonObject(delivery.body()).getInteger("attempt"), "an attempt was burnt while inactive");
    }
  }

  @Test
  void aHostNameRefusedAtConnectTimeShowsWhyInTheListenersLiveness() throws Exception {
    // Admin accepts host names without resolving them; here the name resolves to loopback, which this policy
    // refuses, so every check fails before connecting, and the report says why.
    module = DispatcherModule.create(config(MAX_ATTEMPTS, 5_000, 300_000, INTERVAL_MS, 2, List.of()), NO_JITTER);
    up.set(true);
    int port = Integer.parseInt(receiver.url("/").replaceAll(".*:(\\d+)/$", "$1"));
    ListenerInfo listener = serve(listener("q1", "http://localhost:" + port + "/hook",
        "http://localhost:" + port + "/live"));
    await(module.start(vertx));

    waitUntil("the listener is inactive").until(() -> liveness(listener) != null
        && liveness(listener).state() == State.INACTIVE);
    ListenerLiveness refused = liveness(listener);
    assertEquals(0, refused.lastFailureStatus(), "no answer: nothing was sent");
    assertTrue(refused.lastFailureAtMs() > 0);
    assertTrue(refused.lastFailureMessage().startsWith("refused by the SSRF policy: localhost resolved to "),
        refused.lastFailureMessage());
    assertTrue(receiver.received.isEmpty(), "nothing reached the refused address");
  }

  @Test
  void theLastFailedCheckIsReportedWithTheReceiversStatusAndKeptAfterASuccess() throws Exception {
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook"), receiver.url("/live")));
    await(module.start(vertx));
    waitUntil("a check failed").until(() -> liveness(listener) != null && liveness(listener).failureCount() > 0);
    ListenerLiveness failed = liveness(listener);
    assertEquals(503, failed.lastFailureStatus());
    assertEquals("receiver answered 503", failed.lastFailureMessage());

    up.set(true);
    waitUntil("a check passed").until(() -> liveness(listener).successCount() > 0);
    assertEquals(503, liveness(listener).lastFailureStatus());
    assertTrue(liveness(listener).lastFailureAtMs() < liveness(listener).checkedAtMs());
  }

  @Test
  void leasesInHandWhenTheListenerTurnsInactiveAreReleasedNotAttempted() throws Exception {
    up.set(true);
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook"), receiver.url("/live")));
    await(module.start(vertx));
    waitUntil("a check passed").until(() -> liveness(listener) != null && liveness(listener).successCount() > 0);

    up.set(false);
    waitUntil("the listener is inactive").until(() -> liveness(listener).state() == State.INACTIVE);
    // The worker may still hold a lease request; what it brings back now must be released.
    messaging.offerJson("q1", listener.id(), "{}", 1);
    int failures = liveness(listener).failureCount();
    waitUntil("two more checks fail").until(() -> liveness(listener).failureCount() >= failures + 2);

    assertTrue(receiver.received.isEmpty(), "delivered while inactive");
    assertTrue(messaging.retried().isEmpty() && messaging.missed().isEmpty());
    up.set(true);
    waitUntil("the message is delivered once stable").until(() -> messaging.acked() == 1);
  }

  @Test
  void failuresBelowTheThresholdMakeItUnstableAndDeliveryGoesOn() throws Exception {
    module = DispatcherModule.create(config(MAX_ATTEMPTS, 5_000, 300_000, INTERVAL_MS, 100, LOOPBACK), NO_JITTER);
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook"), receiver.url("/live")));
    await(module.start(vertx));

    waitUntil("two checks failed").until(() -> liveness(listener) != null && liveness(listener).failureCount() >= 2);
    assertEquals(State.UNSTABLE, liveness(listener).state());
    messaging.offerJson("q1", listener.id(), "{}", 1);
    waitUntil("the message is delivered").until(() -> messaging.acked() == 1);
    assertTrue(events(EventTypes.LISTENER_INACTIVE).isEmpty());

    up.set(true);
    waitUntil("stable again").until(() -> liveness(listener).state() == State.STABLE);
    assertTrue(events(EventTypes.LISTENER_STABLE).isEmpty(), "stable is announced only after inactive");
  }

  @Test
  void aLivenessUrlOnARefusedAddressFailsItsChecks() throws Exception {
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook"), "http://169.254.169.254/live"));
    await(module.start(vertx));

    waitUntil("the listener is inactive").until(() -> liveness(listener) != null
        && liveness(listener).state() == State.INACTIVE);
  }

  @Test
  void aListenerWithoutLivenessUrlIsNeverChecked() throws Exception {
    up.set(true);
    ListenerInfo checked = listener("q2", receiver.url("/checked"), receiver.url("/live"));
    admin.listeners.put(checked.id(), checked);
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    await(module.start(vertx));
    messaging.offerJson("q1", listener.id(), "{}", 1);

    waitUntil("the message is delivered").until(() -> messaging.acked() == 1);
    // Both were started together: by the time the other listener has been checked three times, this one
    // would have been too.
    waitUntil("the other listener is checked three times")
        .until(() -> liveness(checked) != null && liveness(checked).successCount() >= 3);
    assertEquals(List.of(), admin.livenessReports.stream().filter(r -> r.listenerId().equals(listener.id())).toList());
  }

  @Test
  void everyCheckIsReportedToAdmin() throws Exception {
    up.set(true);
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook"), receiver.url("/live")));
    await(module.start(vertx));

    waitUntil("three checks are reported").until(() -> admin.livenessReports.size() >= 3);
    List<ListenerLiveness> reports = List.copyOf(admin.livenessReports);
    for (int i = 0; i < reports.size(); i++) {
      assertEquals(listener.id(), reports.get(i).listenerId());
      assertEquals(State.STABLE, reports.get(i).state());
      assertEquals(i + 1, reports.get(i).successCount());
    }
    assertNotNull(receiver.checks.poll());
    assertEquals("/live", receiver.checks.poll().path());
  }

  private ListenerLiveness liveness(ListenerInfo listener) {
    return admin.lastLiveness(listener.id());
  }
}
