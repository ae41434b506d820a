package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.testkit.Ports;
import io.ferry.contracts.testkit.WebhookReceiver;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest extends DispatcherTestBase {

  @Test
  void deliversASignedMessageAndAcksIt() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{\"total\":42}", 1);

    await(module.start(vertx));

    WebhookReceiver.Received request = receiver.next(Duration.ofSeconds(5));
    assertEquals("/hook", request.path());
    assertEquals("application/json", request.header("Content-Type"));
    request.verify(listener.secret());
    assertEquals(leased.message().id(), request.header("webhook-id"));

    JsonObject body = request.json();
    assertEquals(leased.message().id(), body.getString("id"));
    assertEquals("q1", body.getString("queue_id"));
    assertEquals("orders", body.getString("queue_name"));
    assertEquals(7L, body.getLong("sequence"));
    assertEquals("order-7", body.getString("key"));
    assertEquals("2023-11-14T22:13:20.123Z", body.getString("timestamp"));
    assertEquals(1, body.getInteger("attempt"));
    assertEquals("json", body.getString("content_type"));
    assertEquals(new JsonObject().put("total", 42), body.getJsonObject("data"));

    AckRequest ack = awaitSettlement(listener);
    assertEquals(List.of(leased.leaseId()), ack.acks());
    assertTrue(ack.retries().isEmpty());
  }

  @Test
  void leasesFromTheListenersSubscriptionWithTheConfiguredShape() throws Exception {
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());

    await(module.start(vertx));

    waitUntil("the listener leases").until(() -> messaging.leaseCount(listener.id()) > 0);
    LeaseRequest lease = messaging.leases.get(0);
    assertEquals(new LeaseRequest("q1", listener.id(), MAX_IN_FLIGHT, 2 * REQUEST_TIMEOUT_MS + 5_000,
        LEASE_WAIT_MS), lease);
  }

  @Test
  void aReceiverAnswering500GetsARetryWithBackoffNotAnAck() throws Exception {
    receiver.respond("/hook", r -> r.response().setStatusCode(500).end("boom"));
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    LeasedMessage first = messaging.offerJson("q1", listener.id(), "1", 1);

    await(module.start(vertx));

    AckRequest settlement = awaitSettlement(listener);
    assertTrue(settlement.acks().isEmpty(), "a failed delivery must not be acked");
    assertEquals(List.of(new RetryRequest(first.leaseId(), null, 5_000L)), settlement.retries());

    LeasedMessage third = messaging.offerJson("q1", listener.id(), "1", 3);
    waitUntil("the third attempt is settled").until(() -> messaging.settlements.size() == 2);
    assertEquals(List.of(new RetryRequest(third.leaseId(), null, 20_000L)), messaging.settlements.get(1).retries());
    assertEquals(3, new JsonObject(receiver.received.stream().toList().get(1).body()).getInteger("attempt"));
  }

  @Test
  void aRedirectIsAFailedAttemptAndIsNotFollowed() throws Exception {
    AtomicInteger followed = new AtomicInteger();
    receiver.respond("/hook", r -> r.response().setStatusCode(302).putHeader("Location", "/elsewhere").end());
    receiver.respond("/elsewhere", r -> {
      followed.incrementAndGet();
      r.response().setStatusCode(200).end();
    });
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    AckRequest settlement = awaitSettlement(listener);
    assertTrue(settlement.acks().isEmpty());
    assertEquals(List.of(new RetryRequest(leased.leaseId(), null, 5_000L)), settlement.retries());
    assertEquals(0, followed.get(), "the redirect was followed");
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeGetsARetry() throws Exception {
    receiver.respond("/hook", r -> {
      // never answers
    });
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 2);

    long started = System.nanoTime();
    await(module.start(vertx));

    AckRequest settlement = awaitSettlement(listener);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(List.of(new RetryRequest(leased.leaseId(), null, 10_000L)), settlement.retries());
    assertTrue(elapsedMs >= REQUEST_TIMEOUT_MS, "settled after " + elapsedMs + " ms, before the timeout");
  }

  @Test
  void anUnreachableReceiverGetsARetry() throws Exception {
    int closedPort = Ports.free();
    ListenerInfo listener = listener("q1", "http://127.0.0.1:" + closedPort + "/hook");
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    assertEquals(List.of(new RetryRequest(leased.leaseId(), null, 5_000L)), awaitSettlement(listener).retries());
  }

  @Test
  void aNotifyUrlThatCannotBeRequestedGetsARetry() throws Exception {
    ListenerInfo listener = listener("q1", "not a url");
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    assertEquals(List.of(new RetryRequest(leased.leaseId(), null, 5_000L)), awaitSettlement(listener).retries());
  }

  @Test
  void aSuccessWithAnOversizedBodyCountsByItsStatusAndTheRestIsNotRead() throws Exception {
    AtomicInteger written = new AtomicInteger();
    AtomicInteger writtenWhenDropped = new AtomicInteger(-1);
    receiver.respond("/hook", r -> {
      r.response().closeHandler(closed -> writtenWhenDropped.set(written.get()));
      r.response().setStatusCode(200).setChunked(true);
      // Endless: only a dispatcher that stops reading at the cap (and drops the connection) gets past this.
      vertx.setPeriodic(5, id -> {
        if (r.response().closed()) {
          vertx.cancelTimer(id);
          return;
        }
        written.addAndGet(16 * 1024);
        r.response().write(Buffer.buffer(new byte[16 * 1024]));
      });
    });
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    assertEquals(List.of(leased.leaseId()), awaitSettlement(listener).acks());
    int atSettlement = written.get();
    waitUntil("the dispatcher drops the connection").until(() -> writtenWhenDropped.get() >= 0);
    assertTrue(writtenWhenDropped.get() - atSettlement < 1024 * 1024,
        "the receiver could keep streaming to the dispatcher");
  }

  @Test
  void sequentialDeliveriesReuseOneKeptAliveConnection() throws Exception {
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    await(module.start(vertx));
    for (int i = 1; i <= 3; i++) {
      messaging.offerJson("q1", listener.id(), "{}", 1);
      int acked = i;
      waitUntil("message " + i + " is acked").until(() -> messaging.acked() == acked);
    }

    List<Integer> ports = receiver.received.stream().map(WebhookReceiver.Received::remotePort).distinct().toList();
    assertEquals(1, ports.size(), "client ports seen by the receiver: " + ports);
  }

  @Test
  void theReceiverNeverSeesMoreThanTheInFlightCapAtOnce() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    receiver.respond("/hook", r -> {
      peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      vertx.setTimer(5 + (long) (Math.random() * 40), id -> {
        concurrent.decrementAndGet();
        r.response().setStatusCode(200).end();
      });
    });
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    await(module.start(vertx));

    // Messages keep arriving while deliveries are under way.
    for (int i = 0; i < 60; i++) {
      messaging.offerJson("q1", listener.id(), "{}", 1);
      if (i % 10 == 0) {
        int seen = receiver.received.size();
        waitUntil("another delivery arrives").until(() -> receiver.received.size() > seen);
      }
    }

    waitUntil("every message is acked").until(() -> messaging.acked() == 60);
    assertTrue(peak.get() <= MAX_IN_FLIGHT, "peak concurrency " + peak.get());
    assertEquals(MAX_IN_FLIGHT, peak.get(), "the cap is also used");
  }

  @Test
  void deliversABatchInParallel() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    receiver.respond("/hook", r -> {
      peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      vertx.setTimer(200, id -> {
        concurrent.decrementAndGet();
        r.response().setStatusCode(200).end();
      });
    });
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    for (int i = 0; i < MAX_IN_FLIGHT * 2; i++) {
      messaging.offerJson("q1", listener.id(), "{}", 1);
    }

    await(module.start(vertx));

    waitUntil("every message is acked").until(() -> messaging.settlements.stream()
        .mapToInt(s -> s.acks().size()).sum() == MAX_IN_FLIGHT * 2);
    assertEquals(MAX_IN_FLIGHT, peak.get(), "deliveries in flight at once");
  }

  @Test
  void settlementsMadeWhileMessagingIsBusyGoTogetherInOneRequest() throws Exception {
    messaging.ackDelayMs = 300;
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    List<String> leaseIds = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      leaseIds.add(messaging.offerJson("q1", listener.id(), "{}", 1).leaseId());
    }

    await(module.start(vertx));

    waitUntil("every message is acked").until(() -> messaging.acked() == 12);
    List<String> acked = messaging.settlements.stream().flatMap(s -> s.acks().stream()).toList();
    assertEquals(Set.copyOf(leaseIds), Set.copyOf(acked));
    assertEquals(12, acked.size(), "a lease was acked twice");
    assertTrue(messaging.settlements.size() < 6, messaging.settlements.size() + " ack requests for 12 messages");
  }

  @Test
  void withoutHeldLeaseRequestsASlowDeliveryDoesNotMakeTheWorkerPoll() throws Exception {
    module = DispatcherModule.create(DispatcherConfigs.of(new JsonObject()
        .put("dispatcher.request-timeout-ms", REQUEST_TIMEOUT_MS)
        .put("dispatcher.max-in-flight-per-listener", MAX_IN_FLIGHT)
        .put("dispatcher.lease-wait-ms", 0)
        .put("dispatcher.max-attempts", MAX_ATTEMPTS)
        .put("dispatcher.liveness-timeout-ms", 500)
        .put("webhooks.allow-list", new JsonArray(LOOPBACK))), NO_JITTER);
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    AtomicLong leasesWhenReceived = new AtomicLong();
    AtomicLong leasesWhenAnswered = new AtomicLong();
    // The delivery is slow on purpose: the worker must not poll while it is under way.
    receiver.respond("/hook", r -> {
      leasesWhenReceived.set(messaging.leaseCount(listener.id()));
      vertx.setTimer(1_500, id -> {
        leasesWhenAnswered.set(messaging.leaseCount(listener.id()));
        r.response().setStatusCode(200).end();
      });
    });
    messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));

    waitUntil("the delivery is acked").until(() -> messaging.acked() == 1);
    long leased = leasesWhenAnswered.get() - leasesWhenReceived.get();
    assertTrue(leased <= 1, "leased " + leased + " times while one delivery was under way");
  }

  @Test
  void aFailingLeaseIsAskedAgainAfterABackOff() throws Exception {
    messaging.leaseFailuresToInject.set(1);
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    assertEquals(List.of(leased.leaseId()), awaitSettlement(listener).acks());
    long gapMs = TimeUnit.NANOSECONDS.toMillis(messaging.leaseTimesNanos.get(1) - messaging.leaseTimesNanos.get(0));
    assertTrue(gapMs >= 900, "asked again after " + gapMs + " ms");
  }

  @Test
  void stoppingWaitsForTheDeliveryInFlightToBeSettled() throws Exception {
    receiver.respond("/hook", r -> vertx.setTimer(300, id -> r.response().setStatusCode(200).end()));
    ListenerInfo listener = listener("q1", receiver.url("/hook"));
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));
    receiver.next(Duration.ofSeconds(5));

    await(module.stop());

    assertEquals(1, messaging.settlements.size(), "stop returned before the delivery was settled");
    assertEquals(List.of(leased.leaseId()), messaging.settlements.get(0).acks());
  }

  private AckRequest awaitSettlement(ListenerInfo listener) throws InterruptedException {
    waitUntil("a settlement arrives").until(() -> !messaging.settlements.isEmpty());
    AckRequest settlement = messaging.settlements.get(0);
    assertEquals(listener.queueId(), settlement.queueId());
    assertEquals(listener.id(), settlement.subscriptionId());
    return settlement;
  }
}
