package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.testkit.WebhookReceiver;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.vertx.core.json.JsonObject;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The retry schedule, Retry-After, exhausted attempts (missed) and 410 Gone. */
class RetryAndGoneTest extends DispatcherTestBase {

  @Test
  void retriesFollowTheConfiguredScheduleThenTheMessageIsMissed() throws Exception {
    DispatcherConfig config = config(4, 300, 700, 30_000, 3, LOOPBACK);
    module = DispatcherModule.create(config);
    receiver.respond("/hook", r -> r.response().setStatusCode(500).end());
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the message is missed").until(() -> messaging.missed().size() == 1);
    List<WebhookReceiver.Received> attempts = List.copyOf(receiver.received);
    assertEquals(4, attempts.size(), "attempts seen by the receiver");
    long[] nominal = {300, 600, 700};
    for (int i = 0; i < nominal.length; i++) {
      long gapMs = TimeUnit.NANOSECONDS.toMillis(attempts.get(i + 1).atNanos() - attempts.get(i).atNanos());
      assertEquals(i + 2, new JsonObject(attempts.get(i + 1).body()).getInteger("attempt"));
      // ±20 % jitter; above it, only the time to lease and send again (generous for a busy machine).
      assertTrue(gapMs >= nominal[i] * 0.8 - 20, "gap " + (i + 1) + " was " + gapMs + " ms, nominal " + nominal[i]);
      assertTrue(gapMs <= nominal[i] * 1.2 + 600, "gap " + (i + 1) + " was " + gapMs + " ms, nominal " + nominal[i]);
    }
    List<Long> delays = messaging.retried().stream().map(RetryRequest::delayMs).toList();
    assertEquals(3, delays.size());
    assertTrue(delays.get(0) >= 240 && delays.get(0) <= 360, "first retry delay " + delays);
    assertTrue(delays.get(1) >= 480 && delays.get(1) <= 720, "second retry delay " + delays);
    assertTrue(delays.get(2) >= 560 && delays.get(2) <= 840, "capped retry delay " + delays);

    waitUntil("delivery.exhausted is published").until(() -> !events(EventTypes.DELIVERY_EXHAUSTED).isEmpty());
    FerryEvent exhausted = events(EventTypes.DELIVERY_EXHAUSTED).get(0);
    assertEquals("acct", exhausted.accountId());
    assertEquals(listener.id(), exhausted.resourceId());
    assertEquals(new JsonObject().put("queue_id", "q1").put("listener_id", listener.id())
        .put("message_id", leased.message().id()).put("attempts", 4), exhausted.payload());
  }

  @Test
  void aMessageOnItsLastAttemptIsMissedNotRetried() throws Exception {
    receiver.respond("/hook", r -> r.response().setStatusCode(502).end());
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", MAX_ATTEMPTS);

    await(module.start(vertx));

    waitUntil("the message is missed").until(() -> messaging.missed().size() == 1);
    assertEquals(List.of(leased.leaseId()), messaging.missed());
    assertTrue(messaging.retried().isEmpty());
    waitUntil("delivery.exhausted is published").until(() -> events(EventTypes.DELIVERY_EXHAUSTED).size() == 1);
  }

  @Test
  void retryAfterInSecondsOnA429ReplacesTheBackoff() throws Exception {
    receiver.respond("/hook", r -> r.response().setStatusCode(429).putHeader("Retry-After", "2").end());
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the attempt is settled").until(() -> !messaging.settlements.isEmpty());
    assertEquals(List.of(new RetryRequest(leased.leaseId(), null, 2_000L)), messaging.settlements.get(0).retries());
  }

  @Test
  void retryAfterAsAnHttpDateOnA503ReplacesTheBackoff() throws Exception {
    String in10Seconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    receiver.respond("/hook", r -> r.response().setStatusCode(503).putHeader("Retry-After", in10Seconds).end());
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the attempt is settled").until(() -> !messaging.settlements.isEmpty());
    long delayMs = messaging.settlements.get(0).retries().get(0).delayMs();
    assertTrue(delayMs > 5_000 && delayMs <= 10_000, "delay " + delayMs + " ms instead of the backoff's 5000");
  }

  @Test
  void retryAfterIsCappedAtTheMaximumRetryDelay() throws Exception {
    module = DispatcherModule.create(config(MAX_ATTEMPTS, 500, 2_000, 30_000, 3, LOOPBACK));
    receiver.respond("/hook", r -> r.response().setStatusCode(429).putHeader("Retry-After", "86400").end());
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the attempt is settled").until(() -> !messaging.settlements.isEmpty());
    assertEquals(List.of(new RetryRequest(leased.leaseId(), null, 2_000L)), messaging.settlements.get(0).retries());
  }

  @Test
  void retryAfterOnOtherStatusesAndUnreadableValuesIsIgnored() throws Exception {
    receiver.respond("/a", r -> r.response().setStatusCode(500).putHeader("Retry-After", "1").end());
    receiver.respond("/b", r -> r.response().setStatusCode(429).putHeader("Retry-After", "soon").end());
    ListenerInfo first = listener("q1", receiver.url("/a"));
    ListenerInfo second = listener("q2", receiver.url("/b"));
    admin.listeners.put(second.id(), second);
    serve(first);
    LeasedMessage a = messaging.offerJson("q1", first.id(), "{}", 1);
    LeasedMessage b = messaging.offerJson("q2", second.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("both attempts are settled").until(() -> messaging.retried().size() == 2);
    assertTrue(messaging.retried().contains(new RetryRequest(a.leaseId(), null, 5_000L)), messaging.retried()::toString);
    assertTrue(messaging.retried().contains(new RetryRequest(b.leaseId(), null, 5_000L)), messaging.retried()::toString);
  }

  @Test
  void a410ReleasesTheLeaseDisablesTheListenerAndStopsDelivery() throws Exception {
    receiver.respond("/hook", r -> r.response().setStatusCode(410).end());
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);
    ListenerInfo witness = witness();

    await(module.start(vertx));

    waitUntil("admin is asked to disable the listener").until(() -> admin.disabled.contains(listener.id()));
    waitUntil("the lease is released").until(() -> messaging.released().contains(leased.leaseId()));
    assertTrue(messaging.retried().isEmpty(), "a 410 is not retried");
    assertTrue(messaging.missed().isEmpty(), "a 410 is not a miss");
    assertLeasesNoMore(listener, witness);
    assertEquals(1, receiver.received.size(), "still delivering after 410");
    assertFalse(messaging.released().isEmpty());
  }
}
